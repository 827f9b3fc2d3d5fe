/**
 * @kuma-ts/store — where the control plane keeps its resources: one
 * contract, an in-memory engine (the embedded default) and a Redis engine
 * for deployments of several control planes.
 *
 * @example
 * import { createMemoryStore, createRedisStore } from "@kuma-ts/store";
 * const store = createRedisStore({ url: "redis://127.0.0.1:6379", keyPrefix: "kuma" });
 * await store.create({ type: "Mesh", name: "default" });
 * const page = await store.list(DataplaneType, "default", { size: 100 });
 */
export * from "./core.js";
export { createRedisStore } from "./redis.js";
export type { RedisNodeAddress, RedisStoreOptions, RedisTlsOptions } from "./redis.js";
