/** The store `store.*` describes: memory by default, Redis with `store.type: redis`. */
import type { ServerConfig } from "@kuma-ts/model";
import { createMemoryStore, type ResourceStore } from "@kuma-ts/store";
import type { RedisStoreOptions } from "@kuma-ts/store/redis";
import { durationMillis } from "./durations.js";

/**
 * Creates the configured store. A Redis store connects in the background: an
 * unreachable Redis is not an error here. The Redis engine (and ioredis) is
 * loaded only when `store.type` is `redis`, so a memory store starts without it.
 */
export async function createStoreFromConfig(config: ServerConfig["store"]): Promise<ResourceStore> {
  if (config.type === "memory") return createMemoryStore({ watchHistory: config.watchHistory });
  const redis = config.redis;
  const path = (value: string): string | undefined => (value === "" ? undefined : value);
  const { createRedisStore } = await import("@kuma-ts/store/redis");
  return createRedisStore({
    // The configuration schema only admits the modes the store knows.
    mode: redis.mode as RedisStoreOptions["mode"],
    url: redis.url,
    nodes: redis.nodes,
    sentinelMasterName: redis.sentinelMasterName,
    username: redis.username,
    password: redis.password,
    keyPrefix: redis.keyPrefix,
    tls: {
      enabled: redis.tls.enabled,
      caPath: path(redis.tls.caPath),
      certPath: path(redis.tls.certPath),
      keyPath: path(redis.tls.keyPath),
    },
    connectTimeoutMs: durationMillis(redis.connectTimeout),
    commandTimeoutMs: durationMillis(redis.commandTimeout),
    watchHistory: config.watchHistory,
  });
}
