/** Who a request is (auth.md §1): Kuma's user model, groups and names. */

/** A caller: a name and the groups it belongs to. */
export interface User {
  readonly name: string;
  readonly groups: readonly string[];
}

/** How the caller was recognised. */
export type AuthMethod = "localhost" | "token" | "anonymous";

export const ADMIN_GROUP = "mesh-system:admin";
export const ANONYMOUS_NAME = "mesh-system:anonymous";
export const UNAUTHENTICATED_GROUP = "mesh-system:unauthenticated";
export const AUTHENTICATED_GROUP = "mesh-system:authenticated";

/** A caller with no credentials. */
export const ANONYMOUS: User = Object.freeze({ name: ANONYMOUS_NAME, groups: Object.freeze([UNAUTHENTICATED_GROUP]) });

/** The local admin (localhost-is-admin): in the groups the default rules name, so it keeps every 0.4 right. */
export const LOCAL_ADMIN: User = Object.freeze({
  name: ADMIN_GROUP,
  groups: Object.freeze([ADMIN_GROUP, AUTHENTICATED_GROUP]),
});

/** `name/group1,group2`, as 403 details and logs show a user. */
export const userString = (user: User): string => `${user.name}/${user.groups.join(",")}`;

/** The user a valid token's claims name: its groups plus `mesh-system:authenticated`. */
export function tokenUser(name: string, groups: readonly string[]): User {
  const all = groups.includes(AUTHENTICATED_GROUP) ? [...groups] : [...groups, AUTHENTICATED_GROUP];
  return Object.freeze({ name, groups: Object.freeze(all) });
}
