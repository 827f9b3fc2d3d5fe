/** Token buckets in process memory (the memory store's: one process, one budget). */
import type { BucketLimits, BucketTake, TokenBuckets } from "./contract.js";

/** Buckets idle long enough to be full again are forgotten once there are this many. */
const SWEEP_AT = 10_000;

/** In-memory token buckets; `now` in milliseconds. */
export function createMemoryTokenBuckets(
  now: () => number = () => performance.timeOrigin + performance.now(),
): TokenBuckets {
  const buckets = new Map<string, { tokens: number; at: number; fullAt: number }>();
  const sweep = (time: number): void => {
    for (const [key, bucket] of buckets) if (bucket.fullAt <= time) buckets.delete(key);
  };
  return {
    async take(key: string, limits: BucketLimits, cost = 1): Promise<BucketTake> {
      const time = now();
      if (buckets.size >= SWEEP_AT) sweep(time);
      const bucket = buckets.get(key) ?? { tokens: limits.burst, at: time, fullAt: time };
      const tokens = Math.min(
        limits.burst,
        bucket.tokens + ((time - bucket.at) * limits.perSecond) / 1000,
      );
      const allowed = tokens >= cost;
      const left = allowed ? tokens - cost : tokens;
      buckets.set(key, {
        tokens: left,
        at: time,
        fullAt: time + ((limits.burst - left) * 1000) / limits.perSecond,
      });
      return {
        allowed,
        remaining: Math.floor(left),
        retryAfterMs: allowed ? 0 : Math.ceil(((cost - tokens) * 1000) / limits.perSecond),
      };
    },
  };
}
