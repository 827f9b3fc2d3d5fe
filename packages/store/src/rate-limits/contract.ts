/**
 * Token buckets for the API's rate limits (auth.md §8), kept where the
 * store keeps its data so that every replica over one Redis draws on one
 * budget per key.
 */

/** What taking from a bucket did. */
export interface BucketTake {
  readonly allowed: boolean;
  /** Whole tokens left after the take. */
  readonly remaining: number;
  /** When refused: milliseconds until the tokens asked for are available; 0 when allowed. */
  readonly retryAfterMs: number;
}

/** A bucket's refill rate and size. */
export interface BucketLimits {
  readonly perSecond: number;
  readonly burst: number;
}

/** Token buckets by key: a bucket starts full, refills at `perSecond` up to `burst`. */
export interface TokenBuckets {
  /** Takes `cost` tokens (default 1) from the bucket of `key`, if it has them. */
  take(key: string, limits: BucketLimits, cost?: number): Promise<BucketTake>;
}

/**
 * Slot leases by key (the open watch streams of a caller, auth.md §8): at
 * most `max` holders hold a slot of a key at once. A lease lasts `ttlMs`
 * from its last acquire or renewal, so the slots of a process that died
 * free themselves; shared by every store over the same backend.
 */
export interface SlotLeases {
  /**
   * Takes a slot of `key` for `holder` if fewer than `max` holders hold one
   * (expired leases do not count); true when `holder` holds one now (it
   * already did: renewed).
   */
  acquire(key: string, holder: string, max: number, ttlMs: number): Promise<boolean>;
  /**
   * Extends the leases of `holders` on `key` to `ttlMs` from now. A holder
   * whose lease lapsed meanwhile takes its slot again, even beyond `max`:
   * what it stands for is still open.
   */
  renew(key: string, holders: readonly string[], ttlMs: number): Promise<void>;
  /** Frees the slot of `holder` on `key` (nothing when it holds none). */
  release(key: string, holder: string): Promise<void>;
}
