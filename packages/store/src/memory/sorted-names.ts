/**
 * A sorted set of names kept in blocks of bounded size (a "sorted list" of
 * sorted arrays): inserting or removing moves at most one block's worth of
 * entries, and a page after a given name costs a binary search plus the
 * page, however large the collection. Names are valid resource names
 * (ASCII), so `<` orders them by code point, as Redis orders their bytes.
 */

/** A block splits in two when it grows past this many names. */
const MAX_BLOCK = 512;

/** A page of names. */
export interface NamePage {
  readonly names: string[];
  /** Whether names follow the page. */
  readonly more: boolean;
}

/** A sorted set of distinct names. */
export class SortedNames {
  private readonly blocks: string[][] = [];
  private count = 0;

  /** How many names there are. */
  get size(): number {
    return this.count;
  }

  /** Adds a name that is not in the set yet. */
  insert(name: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push([name]);
    } else {
      const b = Math.min(this.firstBlockEndingAtOrAfter(name), this.blocks.length - 1);
      const block = this.blocks[b] as string[];
      block.splice(upperBound(block, name), 0, name);
      if (block.length > MAX_BLOCK) this.blocks.splice(b + 1, 0, block.splice(block.length >> 1));
    }
    this.count++;
  }

  /** Removes a name; returns whether it was there. */
  remove(name: string): boolean {
    const b = this.firstBlockEndingAtOrAfter(name);
    const block = this.blocks[b];
    if (!block) return false;
    const i = upperBound(block, name) - 1;
    if (block[i] !== name) return false;
    block.splice(i, 1);
    if (block.length === 0) this.blocks.splice(b, 1);
    this.count--;
    return true;
  }

  /** At most `limit` names after `after` (from the first name when undefined; all when limit is undefined). */
  page(after: string | undefined, limit: number | undefined): NamePage {
    const names: string[] = [];
    const max = limit ?? Infinity;
    let b = after === undefined ? 0 : this.firstBlockEndingAfter(after);
    let i = after === undefined ? 0 : upperBound(this.blocks[b] ?? [], after);
    for (; b < this.blocks.length; b++, i = 0) {
      const block = this.blocks[b] as string[];
      while (i < block.length) {
        if (names.length === max) return { names, more: true };
        names.push(block[i++] as string);
      }
    }
    return { names, more: false };
  }

  /** Every name in order. */
  *[Symbol.iterator](): IterableIterator<string> {
    for (const block of this.blocks) yield* block;
  }

  /** The first block whose last name is >= name (blocks.length when none). */
  private firstBlockEndingAtOrAfter(name: string): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastOf(this.blocks[mid] as string[]) < name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first block whose last name is > name (blocks.length when none). */
  private firstBlockEndingAfter(name: string): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lastOf(this.blocks[mid] as string[]) <= name) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lastOf(block: string[]): string {
  return block[block.length - 1] as string;
}

/** The index of the first element > name in a sorted array. */
function upperBound(sorted: readonly string[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as string) <= name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
