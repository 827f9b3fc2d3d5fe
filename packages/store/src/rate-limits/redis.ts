/**
 * Token buckets on Redis: one hash per bucket (RedisKeys.tokenBucket)
 * (`tokens`, `at`), taken from by one Lua script on the server's clock, so
 * every replica shares the bucket and their clocks do not matter. The hash
 * expires once it would be full again.
 */
import type { RedisConnection } from "../redis/connection.js";
import type { RedisKeys } from "../redis/keys.js";
import { RedisScript } from "../redis/scripts.js";
import type { BucketLimits, BucketTake, TokenBuckets } from "./contract.js";

const takeScript = new RedisScript(
  "take from a token bucket",
  `
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1])
local at = tonumber(state[2])
if tokens == nil or at == nil then
  tokens = burst
  at = now
end
if now > at then tokens = math.min(burst, tokens + (now - at) * rate / 1000) end
local allowed = 0
local retry = 0
if tokens >= cost then
  tokens = tokens - cost
  allowed = 1
else
  retry = math.ceil((cost - tokens) * 1000 / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(math.max(now, at)))
redis.call('PEXPIRE', KEYS[1], math.ceil((burst - tokens) * 1000 / rate) + 1000)
return {allowed, math.floor(tokens), retry}
`,
);

/** The token buckets of the store with keys `keys`. */
export function createRedisTokenBuckets(
  connection: RedisConnection,
  keys: RedisKeys,
): TokenBuckets {
  return {
    async take(key: string, limits: BucketLimits, cost = 1): Promise<BucketTake> {
      const reply = (await connection.run(
        "rate limit",
        (client) =>
          takeScript.run(client, [keys.tokenBucket(key)], [limits.perSecond, limits.burst, cost]),
        { oneStep: true },
      )) as [number, number, number];
      return {
        allowed: reply[0] === 1,
        remaining: Number(reply[1]),
        retryAfterMs: Number(reply[2]),
      };
    },
  };
}
