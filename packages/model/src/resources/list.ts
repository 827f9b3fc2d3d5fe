import { Type, type Static, type TSchema } from "@sinclair/typebox";

/** The list envelope: `total` matching items, this page's `items`, and the `next` page's URL or null. */
export const ResourceList = <T extends TSchema>(item: T) =>
  Type.Object({
    total: Type.Integer({ minimum: 0 }),
    items: Type.Array(item),
    next: Type.Union([Type.String(), Type.Null()]),
  });
export type ResourceList<T> = { total: number; items: T[]; next: string | null };

/** The list envelope with items left undecoded (each item is checked with the codec). */
export const RawResourceList = ResourceList(Type.Unknown());
export type RawResourceList = Static<typeof RawResourceList>;
