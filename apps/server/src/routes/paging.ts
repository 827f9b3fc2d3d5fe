/** The `size` and `offset` query parameters of lists (http-api.md §5). */
import type { Cause } from "@kuma-ts/model";
import { ApiError, Title } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";

/** The largest page a client may ask for. */
export const MAX_PAGE_SIZE = 1000;

/** One page request: the whole collection when `size` is absent. */
export interface PageRequest {
  readonly size?: number;
  readonly offset?: string;
}

const PAGE_SIZE = /^\d{1,4}$/;

/** Reads `size` and `offset`; throws 400 with a cause per bad parameter. An empty `offset` means the first page. */
export function parsePageRequest(query: ApiContext["query"]): PageRequest {
  const causes: Cause[] = [];
  const { size: rawSize, offset: rawOffset } = query;
  let size: number | undefined;
  if (rawSize !== undefined) {
    size = typeof rawSize === "string" && PAGE_SIZE.test(rawSize) ? Number(rawSize) : 0;
    if (size < 1 || size > MAX_PAGE_SIZE) causes.push({ field: "size", message: "invalid page size" });
  }
  if (Array.isArray(rawOffset)) causes.push({ field: "offset", message: "invalid offset" });
  if (causes.length > 0) throw new ApiError(400, Title.retrieveList, "Bad Request", causes);
  const offset = typeof rawOffset === "string" && rawOffset !== "" ? rawOffset : undefined;
  return { ...(size !== undefined ? { size } : {}), ...(offset !== undefined ? { offset } : {}) };
}

/** The absolute URL of the following page: same path, the store's cursor, the same size and extra parameters. */
export function nextPageUrl(
  ctx: ApiContext,
  offset: string,
  size: number | undefined,
  extra: readonly (readonly [string, string])[] = [],
): string {
  const params = new URLSearchParams([["offset", offset]]);
  if (size !== undefined) params.append("size", String(size));
  for (const [name, value] of extra) params.append(name, value);
  // HTTP/1.1 requires Host; an HTTP/1.0 client without one gets a URL on localhost.
  return `${ctx.protocol}://${ctx.host || "localhost"}${ctx.path}?${params.toString()}`;
}
