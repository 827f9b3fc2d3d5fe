/** The static allow-lists of auth.md §6 (`adminResources`, `generateUserToken`, `controlPlaneMetadata`). */
import type { User } from "./identity.js";

/** Users and groups allowed something. */
export interface AllowList {
  readonly users: readonly string[];
  readonly groups: readonly string[];
}

/** Whether the user is named in the list or belongs to one of its groups. */
export const allows = (list: AllowList, user: User): boolean =>
  list.users.includes(user.name) || user.groups.some((group) => list.groups.includes(group));
