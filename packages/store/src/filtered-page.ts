/**
 * A page of a filtered list, built by offering every item of the
 * collection in name order: a filter must see the whole collection to
 * count `total`, so this is the one list path whose cost follows the collection.
 */
import type { Resource } from "@kuma-ts/model";
import type { ListResult, StoredResource } from "./contract.js";
import { encodeCursor } from "./cursor.js";

/** Collects the page after `after` of at most `size` items among those `filter` accepts. */
export class FilteredPage<R extends Resource> {
  private readonly items: StoredResource<R>[] = [];
  private total = 0;
  private more = false;

  constructor(
    private readonly after: string | undefined,
    private readonly size: number | undefined,
    private readonly filter: (resource: R) => boolean,
  ) {}

  /** Offers the next item of the collection (items must come in name order). */
  offer(item: StoredResource<R>): void {
    if (!this.filter(item.resource)) return;
    this.total++;
    if (this.after !== undefined && item.resource.name <= this.after) return;
    if (this.size === undefined || this.items.length < this.size) this.items.push(item);
    else this.more = true;
  }

  /** The page, with the cursor of the next one when more matching items follow. */
  result(): ListResult<R> {
    const last = this.items[this.items.length - 1];
    return this.more && last
      ? { items: this.items, total: this.total, nextOffset: encodeCursor(last.resource.name) }
      : { items: this.items, total: this.total };
  }
}
