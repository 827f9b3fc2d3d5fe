/**
 * The rows of a live list page (gui.md §6): rows never re-sort or jump.
 * A change to an item on the page replaces it in place; a deleted item is
 * greyed and marked; anything that would change which items the page holds
 * is counted for a "N changes — refresh" pill instead of being inserted.
 */
import type { ChangeEvent } from "./change-feed.js";

export interface LiveRow<T> {
  readonly name: string;
  readonly item: T;
  readonly deleted: boolean;
}

export interface LiveRows<T> {
  readonly rows: readonly LiveRow<T>[];
  /** Changes not shown: they would change the page's membership. */
  readonly pending: number;
}

/** Where the page sits in its list: lists are sorted by name, so a name tells whether a change touches the page. */
export interface PagePosition {
  readonly isLastPage: boolean;
}

/** The rows of a page read whole (first load, Refresh, the pill). */
export function freshRows<T>(items: readonly T[], nameOf: (item: T) => string): LiveRows<T> {
  return { rows: items.map((item) => ({ name: nameOf(item), item, deleted: false })), pending: 0 };
}

/** A page polled again: rows still there are updated in place, rows gone are greyed, new names are counted. */
export function mergePolledPage<T>(
  current: LiveRows<T>,
  items: readonly T[],
  nameOf: (item: T) => string,
): LiveRows<T> {
  const incoming = new Map(items.map((item) => [nameOf(item), item]));
  const shown = new Set(current.rows.map((row) => row.name));
  const rows = current.rows.map((row) => {
    const item = incoming.get(row.name);
    return item === undefined ? { ...row, deleted: true } : { ...row, item, deleted: false };
  });
  const added = [...incoming.keys()].filter((name) => !shown.has(name)).length;
  return { rows, pending: current.pending + added };
}

/** A change from the feed, applied to the page (`toItem` turns the event's resource into a row item). */
export function applyChange<T>(
  current: LiveRows<T>,
  event: ChangeEvent,
  position: PagePosition,
  toItem: (resource: unknown) => T,
): LiveRows<T> {
  if (event.kind === "reset") return current;
  const index = current.rows.findIndex((row) => row.name === event.name);
  if (index !== -1) {
    const rows = [...current.rows];
    const row = rows[index]!;
    rows[index] =
      event.kind === "deleted"
        ? { ...row, deleted: true }
        : { ...row, item: toItem(event.resource), deleted: false };
    return { ...current, rows };
  }
  if (event.kind === "updated") return current; // not on this page
  // Created or deleted elsewhere: the page's items shift when the name sorts before its last row.
  const last = current.rows.at(-1)?.name;
  const touchesPage =
    position.isLastPage || last === undefined || compareNames(event.name, last) < 0;
  return touchesPage ? { ...current, pending: current.pending + 1 } : current;
}

/** Byte-wise order of names, as the API sorts them. */
const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A change applied to a whole collection held in name order (the mesh
 * selector's meshes, not a page of a table): there is no page to keep
 * still, so a created item takes its place by name and a deleted one leaves.
 */
export function applyToCollection<T>(
  items: readonly T[],
  event: ChangeEvent,
  nameOf: (item: T) => string,
  toItem: (resource: unknown) => T,
): readonly T[] {
  if (event.kind === "reset") return items;
  const rest = items.filter((item) => nameOf(item) !== event.name);
  if (event.kind === "deleted") return rest.length === items.length ? items : rest;
  const at = rest.findIndex((item) => compareNames(event.name, nameOf(item)) < 0);
  const item = toItem(event.resource);
  return at === -1 ? [...rest, item] : [...rest.slice(0, at), item, ...rest.slice(at)];
}
