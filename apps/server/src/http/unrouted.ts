/**
 * After the router: the requests it did not handle. A known path answers
 * 405 with `Allow` (or 204 with `Allow` to a plain OPTIONS); an unknown one
 * 404, naming the path probably meant when it is one typo away.
 */
import type { Middleware } from "koa";
import { ApiError, Title } from "./api-error.js";
import type { ApiContext, ApiState } from "./context.js";
import { isResourcePath } from "./read-only.js";
import type { Routing } from "./routing.js";

export function unrouted(routing: Routing, readOnly: boolean): Middleware<ApiState, ApiContext> {
  return async (ctx) => {
    let methods = routing.methodsOf(ctx.path);
    if (methods.length === 0) {
      const suggestion = routing.suggest(ctx.path);
      const details = suggestion ? `no such API path, did you mean ${suggestion}?` : "no such API path";
      throw new ApiError(404, Title.notFound, details);
    }
    if (readOnly && isResourcePath(ctx.path)) methods = methods.filter((method) => method === "GET" || method === "HEAD");
    const allow = [...methods, "OPTIONS"].join(", ");
    if (ctx.method === "OPTIONS") {
      ctx.set("Allow", allow);
      ctx.status = 204;
      return;
    }
    throw new ApiError(405, Title.methodNotAllowed, `${ctx.method} is not supported on this path`, [], {
      Allow: allow,
    });
  };
}
