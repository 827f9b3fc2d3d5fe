/**
 * CORS (http-api.md §8), as Kuma 0.4's go-restful filter behaved: an allowed
 * origin gets `Access-Control-Allow-Origin` and `Access-Control-Expose-Headers`
 * on every response, errors included; a preflight answers 200 with the
 * methods of the path, or 200 without any CORS header when refused.
 *
 * Request headers in preflights: under the default `corsAllowedDomains`
 * (`[".*"]`, any origin) a preflight asking for any request header is
 * refused, so a page on another origin can read the API but cannot make a
 * visitor's browser send a JSON PUT. When an operator lists the allowed
 * origins explicitly, those origins are trusted to write: a preflight may
 * ask for `Content-Type`, `If-Match` and `If-None-Match` (nothing else).
 */
import type { Middleware } from "koa";
import type { ApiContext, ApiState } from "./context.js";
import { isResourcePath } from "./read-only.js";

const EXPOSED_HEADERS = "Access-Control-Allow-Origin, ETag, Kuma-Resume-Token";
/** What an EventSource sends when it reconnects (watch.md §3): allowed on reads under any configuration. */
const READ_HEADERS = new Set(["last-event-id"]);
const WRITE_HEADERS = new Set(["content-type", "if-match", "if-none-match"]);
const READ_ONLY_METHODS = new Set(["GET", "HEAD"]);

/** What the CORS middleware needs to know. */
export interface CorsOptions {
  readonly allowedDomains: readonly string[];
  readonly readOnly: boolean;
  /** The methods of a path (empty for an unknown path). */
  readonly methodsOf: (path: string) => string[];
}

/** Whether the configuration is the default one, under which no request header is allowed. */
const isDefaultDomains = (domains: readonly string[]): boolean => domains.length === 1 && domains[0] === ".*";

/** An origin matcher: equal to an entry, or matching one as a whole-string regular expression. */
export function originMatcher(domains: readonly string[]): (origin: string) => boolean {
  const exact = new Set(domains);
  const patterns = domains.map((domain) => new RegExp(`^(?:${domain})$`));
  const anything = domains.includes(".*");
  return (origin) => anything || exact.has(origin) || patterns.some((pattern) => pattern.test(origin));
}

export function cors(options: CorsOptions): Middleware<ApiState, ApiContext> {
  const isAllowed = originMatcher(options.allowedDomains);
  const allowedRequestHeaders = isDefaultDomains(options.allowedDomains) ? new Set<string>() : WRITE_HEADERS;
  // Not async: a request without Origin (most) passes through without a promise of its own.
  return (ctx, next) => {
    const origin = ctx.get("Origin");
    if (origin === "") return next();
    ctx.vary("Origin");
    const requestedMethod = ctx.method === "OPTIONS" ? ctx.get("Access-Control-Request-Method") : "";
    if (requestedMethod !== "") {
      answerPreflight(ctx, origin, requestedMethod);
      return Promise.resolve();
    }
    if (isAllowed(origin)) {
      ctx.set("Access-Control-Allow-Origin", origin);
      ctx.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    }
    return next();
  };

  function answerPreflight(ctx: ApiContext, origin: string, requestedMethod: string): void {
    ctx.body = null;
    ctx.status = 200;
    let methods = options.methodsOf(ctx.path);
    if (options.readOnly && isResourcePath(ctx.path)) methods = methods.filter((method) => READ_ONLY_METHODS.has(method));
    if (!isAllowed(origin) || !methods.includes(requestedMethod)) return;
    const requestedHeaders = ctx
      .get("Access-Control-Request-Headers")
      .split(",")
      .map((header) => header.trim())
      .filter((header) => header !== "");
    const allowed = (header: string) =>
      allowedRequestHeaders.has(header) || (requestedMethod === "GET" && READ_HEADERS.has(header));
    if (!requestedHeaders.every((header) => allowed(header.toLowerCase()))) return;
    ctx.set("Access-Control-Allow-Origin", origin);
    ctx.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
    ctx.set("Access-Control-Allow-Methods", methods.join(", "));
    if (requestedHeaders.length > 0) ctx.set("Access-Control-Allow-Headers", requestedHeaders.join(", "));
  }
}
