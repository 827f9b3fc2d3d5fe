/** The Koa context of the API's handlers. */
import type { RouterContext } from "@koa/router";

/** What the middleware chain records about a request. */
export interface ApiState {
  /** The request id (`X-Request-Id`), logged with every line about the request. */
  requestId: string;
  /** The title of the operation, used when it fails (http-api.md §3). */
  operation: string;
}

/** The context every handler receives: Koa's, with the router's `params`. */
export type ApiContext = RouterContext<ApiState>;

/** A route handler. */
export type Handler = (ctx: ApiContext) => Promise<void> | void;
