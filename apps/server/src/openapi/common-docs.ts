/** Pieces of route docs that several routes share: paging, lists, errors. */
import { ResourceList } from "@kuma-ts/model";
import { Type, type TSchema } from "@sinclair/typebox";
import { MAX_PAGE_SIZE } from "../routes/paging.js";
import { errorResponse } from "./document.js";
import type { NamedSchema, QueryParameterDocs, ResponseDocs } from "./route-docs.js";

export { errorResponse };

/** `size` and `offset` (http-api.md §5). */
export const pageQuery: readonly QueryParameterDocs[] = [
  {
    name: "size",
    description: `Page size, 1..${MAX_PAGE_SIZE}; without it the whole collection is answered and \`next\` is null.`,
    schema: Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE }),
  },
  {
    name: "offset",
    description: "The opaque token of a page, as carried by the previous page's `next` URL.",
    schema: Type.String(),
  },
];

/** `watch` and `since` of every watchable list (watch.md). */
export const watchQuery: readonly QueryParameterDocs[] = [
  {
    name: "watch",
    description:
      "`true` or `1`: answer a stream of Server-Sent Events (`text/event-stream`) instead of a page — `retry`, one `snapshot` event per item, `synced` with a resume token as its id, then `created`/`updated`/`deleted` as they happen, and `: keep-alive` comments. Not with `size`/`offset`. Beyond `apiServer.watch.maxStreams` open watches: 503 `Too many watches`.",
    schema: Type.String({ enum: ["true", "1"] }),
  },
  {
    name: "since",
    description:
      "With `watch`: resume after this token (an event id, or a list's `Kuma-Resume-Token`) with no snapshot; `Last-Event-ID` wins. A token whose changes are no longer retained starts with a `reset` event.",
    schema: Type.String(),
  },
];

/** 400s of a watch. */
export const badWatch =
  " With `watch`: a `watch` other than true/1 (cause `watch`), `size`/`offset` (their causes), a `since` that is no resume token (cause `since`: `invalid resume token`).";

/** The list envelope of `item`, published as `<name>List`. */
export const listOf = (name: string, item: TSchema): NamedSchema => ({
  name: `${name}List`,
  schema: ResourceList(item),
});

/** 400 for a bad `size` or `offset`. */
export const badPage: ResponseDocs = errorResponse(
  "`size` outside 1..1000 or not an integer (cause `size`: `invalid page size`), or a bad `offset` (cause `offset`: `invalid offset`).",
);

/** A 200 list answer. */
export const listAnswer = (list: NamedSchema, what: string): ResponseDocs => ({
  description: `${what}, sorted by name; \`total\` counts every match, \`next\` is the absolute URL of the following page or null.`,
  body: list,
});

/** The other answer of a watchable list: with `watch`, a stream of Server-Sent Events (watch.md §2). */
export const watchStream = { mediaType: "text/event-stream" } as const;
