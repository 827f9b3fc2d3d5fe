/** Writing successful answers: JSON text as is (stored resources are never re-encoded). */
import type { ApiContext } from "../http/context.js";
import { etagOf, ifNoneMatchHolds, parseEntityTags } from "../http/entity-tags.js";

const JSON_TYPE = "application/json; charset=utf-8";

/** Answers `status` with JSON text. */
export function writeJson(ctx: ApiContext, status: number, json: string): void {
  ctx.status = status;
  ctx.set("Content-Type", JSON_TYPE);
  ctx.body = json;
}

/** Answers a resource with its ETag, or 304 when `If-None-Match` names its version. */
export function writeResource(ctx: ApiContext, version: string, json: string): void {
  ctx.set("ETag", etagOf(version));
  const ifNoneMatch = ctx.get("If-None-Match");
  if (ifNoneMatch !== "") {
    const condition = parseEntityTags(ifNoneMatch);
    if (condition && !ifNoneMatchHolds(condition, version)) {
      ctx.status = 304;
      return;
    }
  }
  writeJson(ctx, 200, json);
}

/** Answers a list: `{"total":N,"items":[...],"next":URL|null}` from the items' JSON texts. */
export function writeList(ctx: ApiContext, total: number, items: readonly string[], next: string | null): void {
  writeJson(ctx, 200, `{"total":${total},"items":[${items.join(",")}],"next":${next === null ? "null" : JSON.stringify(next)}}`);
}
