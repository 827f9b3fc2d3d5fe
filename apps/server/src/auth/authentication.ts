/**
 * Authentication of API requests (auth.md §2): localhost-is-admin, then a
 * Bearer user token, else anonymous. An invalid token is 401, its reason
 * logged at info level without the token.
 */
import type { Logger } from "pino";
import { ApiError } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import { ANONYMOUS, LOCAL_ADMIN } from "./identity.js";
import { isLocalAdminRequest } from "./localhost.js";
import { TokenRejectedError, type UserTokens } from "./user-tokens.js";

/** The headers of 401 and 403 answers. */
export const NO_STORE = { "Cache-Control": "no-store" } as const;

/** 401 for any token that does not authenticate (auth.md §7). */
export const unauthenticated = (): ApiError =>
  new ApiError(401, "Invalid authentication data", "Unauthenticated", [], {
    "WWW-Authenticate": 'Bearer realm="kuma"',
    ...NO_STORE,
  });

/** What the authenticator needs. */
export interface AuthenticatorOptions {
  readonly localhostIsAdmin: boolean;
  readonly tokens: UserTokens;
  readonly logger: Logger;
}

/** Sets `ctx.state.user`, `authMethod` and `tokenId`; throws 401 for a bad Bearer token. */
export function createAuthenticator(options: AuthenticatorOptions): (ctx: ApiContext) => Promise<void> {
  const { localhostIsAdmin, tokens, logger } = options;
  return async (ctx) => {
    const state = ctx.state;
    if (localhostIsAdmin && isLocalAdminRequest(ctx.req)) {
      // A token sent along is ignored, unchecked: the local admin is not overwritten (as in Kuma).
      state.user = LOCAL_ADMIN;
      state.authMethod = "localhost";
      state.tokenId = null;
      return;
    }
    state.user = ANONYMOUS;
    state.authMethod = "anonymous";
    state.tokenId = null;
    const header = ctx.req.headers.authorization;
    if (header === undefined) return;
    const space = header.search(/\s/);
    const scheme = space === -1 ? header : header.slice(0, space);
    if (scheme.toLowerCase() !== "bearer") return;
    const token = space === -1 ? "" : header.slice(space).trim();
    try {
      if (token === "") throw new TokenRejectedError("malformed", "empty token");
      const verified = await tokens.verify(token);
      state.user = verified.user;
      state.authMethod = "token";
      state.tokenId = verified.id;
      state.token = verified;
      state.stillAuthenticated = () => tokens.stillValid(verified);
    } catch (error) {
      if (!(error instanceof TokenRejectedError)) throw error;
      state.denyReason = error.reason;
      logger.info({ reqId: state.requestId, reason: error.message }, "authentication rejected");
      throw unauthenticated();
    }
  };
}
