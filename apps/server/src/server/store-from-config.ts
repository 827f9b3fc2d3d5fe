/** The store `store.*` describes: memory by default, Redis with `store.type: redis`. */
import type { ServerConfig } from "@kuma-ts/model";
import { createMemoryStore, createRedisStore, type RedisStoreOptions, type ResourceStore } from "@kuma-ts/store";
import { durationMillis } from "./durations.js";

/** Creates the configured store. A Redis store connects in the background: an unreachable Redis is not an error here. */
export function createStoreFromConfig(config: ServerConfig["store"]): ResourceStore {
  if (config.type === "memory") return createMemoryStore();
  const redis = config.redis;
  const path = (value: string): string | undefined => (value === "" ? undefined : value);
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
  });
}
