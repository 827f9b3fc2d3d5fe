/** The checks route handlers make (auth.md §6): resource verbs, and what they record for the audit log. */
import type { ServerConfig } from "@kuma-ts/model";
import { ApiError } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import { NO_STORE } from "./authentication.js";
import { ResourceRules, resourceDenied, type Verb } from "./authorization.js";
import { allows, type AllowList } from "./access-lists.js";
import { ANONYMOUS, userString, type User } from "./identity.js";

/** 403 `Access Denied` with the given details (auth.md §7), recorded for the audit log. */
export function accessDenied(ctx: ApiContext, details: string): ApiError {
  ctx.state.denyReason = details;
  return new ApiError(403, "Access Denied", details, [], NO_STORE);
}

/** Throws 403 unless the caller is in the allow-list; `what` completes `user "…" cannot …`. */
export function requireAllowed(ctx: ApiContext, list: AllowList, what: string): void {
  const user = ctx.state.user ?? ANONYMOUS;
  if (allows(list, user)) return;
  throw accessDenied(ctx, `user "${userString(user)}" cannot ${what}`);
}

/** Resource checks for route handlers. */
export class Authorizer {
  readonly rules: ResourceRules;

  constructor(config: ServerConfig) {
    this.rules = new ResourceRules(config.access.static.resources.rules);
  }

  /** The caller (anonymous until authenticated). */
  userOf(ctx: ApiContext): User {
    return ctx.state.user ?? ANONYMOUS;
  }

  /** Whether the caller may `verb` resources of `type` in `mesh`. */
  can(ctx: ApiContext, verb: Verb, type: string, mesh: string): boolean {
    return this.rules.allowsEveryone || this.rules.can(this.userOf(ctx), verb, type, mesh);
  }

  /** Records what the request does and throws 403 unless the caller may. */
  require(ctx: ApiContext, verb: Verb, type: string, mesh: string, name?: string): void {
    ctx.state.access = { verb, type, mesh, name: name ?? null };
    if (this.can(ctx, verb, type, mesh)) return;
    throw accessDenied(ctx, resourceDenied(this.userOf(ctx), verb, type, mesh));
  }

  /** The 403 of a verb the caller may not use. */
  deny(ctx: ApiContext, verb: Verb, type: string, mesh: string): ApiError {
    return accessDenied(ctx, resourceDenied(this.userOf(ctx), verb, type, mesh));
  }

  /** A test of the meshes where the caller may do any of `verbs` on `type`; undefined for every mesh. */
  meshFilter(ctx: ApiContext, verbs: readonly Verb[], type: string): ((mesh: string) => boolean) | undefined {
    return this.rules.meshFilter(this.userOf(ctx), verbs, type);
  }
}
