/** The Koa context of the API's handlers. */
import type { RouterContext } from "@koa/router";
import type { AuthMethod, User } from "../auth/identity.js";
import type { VerifiedToken } from "../auth/user-tokens.js";

/** What the middleware chain records about a request. */
export interface ApiState {
  /** The request id (`X-Request-Id`), logged with every line about the request. */
  requestId: string;
  /** The title of the operation, used when it fails (http-api.md §3). */
  operation: string;
  /** Who is calling (auth.md §1); set once a route matched. */
  user?: User;
  authMethod?: AuthMethod;
  /** The `jti` of the caller's token, null for other callers. */
  tokenId?: string | null;
  /** The caller's verified token, for streams that must end when it does. */
  token?: VerifiedToken;
  /** For a token user: whether the token is still valid now (expiry, key, revocation), for open streams. */
  stillAuthenticated?: () => Promise<boolean>;
  /** With rate limits on: counts an opening watch stream in (429 beyond the caller's limit); returns its release. */
  admitWatch?: () => Promise<() => void>;
  /** Why the request was refused (401 cause category or 403 details), for the audit log. */
  denyReason?: string;
  /** The resource verb the request was checked for (auth.md §6), for the audit log. */
  access?: {
    readonly verb: string;
    readonly type: string;
    readonly mesh: string | null;
    readonly name: string | null;
  };
  /** What `POST /tokens/user` issued (never the token), for the audit log. */
  issued?: { readonly name: string; readonly groups: readonly string[]; readonly validFor: string };
}

/** The context every handler receives: Koa's, with the router's `params`. */
export type ApiContext = RouterContext<ApiState>;

/** A route handler. */
export type Handler = (ctx: ApiContext) => Promise<void> | void;
