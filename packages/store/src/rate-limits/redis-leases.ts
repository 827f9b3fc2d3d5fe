/**
 * Slot leases on Redis: one sorted set per key (RedisKeys.slotLeases),
 * members the holders, scores their expiry in milliseconds on the server's
 * clock (`TIME`), so every replica counts the same holders and their clocks
 * do not matter. Each operation is one Lua script that first drops the
 * expired holders; the set expires with its last lease, so an abandoned
 * one disappears.
 */
import type { RedisConnection } from "../redis/connection.js";
import type { RedisKeys } from "../redis/keys.js";
import { RedisScript } from "../redis/scripts.js";
import type { SlotLeases } from "./contract.js";

const PRELUDE = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
-- The set lives as long as its longest lease.
local function keep_until_last(now)
  local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
  if last[2] then redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(tonumber(last[2]) - now))) end
end
`;

const acquireScript = new RedisScript(
  "acquire a slot lease",
  `${PRELUDE}
local holder = ARGV[1]
local max = tonumber(ARGV[2])
local ttl = tonumber(ARGV[3])
if not redis.call('ZSCORE', KEYS[1], holder) and redis.call('ZCARD', KEYS[1]) >= max then return 0 end
redis.call('ZADD', KEYS[1], now + ttl, holder)
keep_until_last(now)
return 1
`,
);

const renewScript = new RedisScript(
  "renew slot leases",
  `${PRELUDE}
local ttl = tonumber(ARGV[1])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], now + ttl, ARGV[i]) end
keep_until_last(now)
return 1
`,
);

const releaseScript = new RedisScript(
  "release a slot lease",
  `${PRELUDE}
redis.call('ZREM', KEYS[1], ARGV[1])
return 1
`,
);

/** The slot leases of the store with keys `keys`. */
export function createRedisSlotLeases(connection: RedisConnection, keys: RedisKeys): SlotLeases {
  const run = (operation: string, script: RedisScript, key: string, args: (string | number)[]) =>
    connection.run(operation, (client) => script.run(client, [keys.slotLeases(key)], args), {
      oneStep: true,
    });
  return {
    async acquire(key: string, holder: string, max: number, ttlMs: number): Promise<boolean> {
      return (await run("acquire a slot", acquireScript, key, [holder, max, ttlMs])) === 1;
    },
    async renew(key: string, holders: readonly string[], ttlMs: number): Promise<void> {
      if (holders.length === 0) return;
      await run("renew slots", renewScript, key, [ttlMs, ...holders]);
    },
    async release(key: string, holder: string): Promise<void> {
      await run("release a slot", releaseScript, key, [holder]);
    },
  };
}
