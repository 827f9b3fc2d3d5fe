/**
 * First middleware: gives each request an id (`X-Request-Id`, taken from the
 * client when it is sane) and normalises its path, then measures the answer
 * by route template and, with `apiServer.accessLog`, logs it (at `info`).
 * Never logs bodies, queries or headers.
 */
import { randomBytes } from "node:crypto";
import type { Middleware } from "koa";
import type { Logger } from "pino";
import type { ServerMetrics } from "../observability/metrics.js";
import type { ApiContext, ApiState } from "./context.js";

const SANE_REQUEST_ID = /^[\w.:@-]{1,128}$/;

/** The label of requests that matched no route. */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * @param accessLog one line per request (`apiServer.accessLog`): pino's serialisation,
 *   a timestamp and a write per request, about 11 µs of CPU each (BENCHMARKS.md).
 */
export function requestContext(
  logger: Logger,
  metrics: ServerMetrics,
  accessLog: boolean,
): Middleware<ApiState, ApiContext> {
  const prefix = randomBytes(4).toString("hex");
  let counter = 0;
  const logRequests = accessLog && logger.isLevelEnabled("info");
  return async (ctx, next) => {
    const start = performance.now();
    const given = ctx.get("X-Request-Id");
    const requestId = given && SANE_REQUEST_ID.test(given) ? given : `${prefix}-${(++counter).toString(36)}`;
    ctx.state.requestId = requestId;
    ctx.set("X-Request-Id", requestId);
    // `dataplanes%2Binsights` is the same path for the router (a `+` can never be part of a name).
    if (ctx.path.includes("%2")) ctx.path = ctx.path.replace(/%2B/gi, "+");
    try {
      await next();
    } finally {
      const seconds = (performance.now() - start) / 1000;
      const route = ctx._matchedRouteName ?? UNMATCHED_ROUTE;
      metrics.observeRequest(route, ctx.method, ctx.status, seconds);
      if (logRequests) {
        logger.info(
          {
            reqId: requestId,
            method: ctx.method,
            route,
            path: ctx.path,
            status: ctx.status,
            durationMs: Math.round(seconds * 1e6) / 1e3,
          },
          "request",
        );
      }
    }
  };
}
