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
export type {
  ChangeEvent,
  ListOptions,
  ListResult,
  ResourceStore,
  StoredResource,
  Unwatch,
  WriteOptions,
} from "./contract.js";
export {
  CorruptedValueError,
  InvalidCursorError,
  MeshNotFoundError,
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  StoreError,
  StoreUnavailableError,
  VersionConflictError,
} from "./errors.js";
export type { StoreErrorCode } from "./errors.js";
export { createMemoryStore } from "./memory/store.js";
export type { MemoryStoreOptions } from "./memory/store.js";
export { createRedisStore } from "./redis/store.js";
export type { RedisNodeAddress, RedisStoreOptions, RedisTlsOptions } from "./redis/options.js";
