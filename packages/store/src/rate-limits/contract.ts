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
