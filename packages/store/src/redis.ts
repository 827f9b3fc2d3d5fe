/**
 * @kuma-ts/store/redis — the Redis engine alone. The package's root exports
 * it too; this entry lets a program that uses Redis only when configured load
 * ioredis only then (`await import("@kuma-ts/store/redis")`).
 *
 * @example
 * const { createRedisStore } = await import("@kuma-ts/store/redis");
 * const store = createRedisStore({ url: "redis://127.0.0.1:6379", keyPrefix: "kuma" });
 */
export { createRedisStore } from "./redis/store.js";
export type { RedisNodeAddress, RedisStoreOptions, RedisTlsOptions } from "./redis/options.js";
