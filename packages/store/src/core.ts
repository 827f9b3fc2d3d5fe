/**
 * The package without its Redis engine: the contract, the errors and the
 * memory engine. The root (`index.ts`) re-exports all of it with the Redis
 * engine; a bundle that loads the Redis engine only with `import()` (the
 * `kuma-cp` bin) resolves the root here, so that ioredis stays out of what it
 * loads at start-up.
 */
export type {
  ChangeEvent,
  HistoryEntry,
  HistoryRead,
  ListOptions,
  ListResult,
  PutResult,
  ResourceStore,
  StoredResource,
  Unwatch,
  WriteOptions,
} from "./contract.js";
export {
  CorruptedValueError,
  InvalidCursorError,
  InvalidResumeTokenError,
  MeshNotFoundError,
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  StoreError,
  StoreUnavailableError,
  VersionConflictError,
} from "./errors.js";
export type { StoreErrorCode } from "./errors.js";
export { GLOBAL_SECRET_TYPE } from "./global-secrets/contract.js";
export type { GlobalSecret, GlobalSecretStore } from "./global-secrets/contract.js";
export type { BucketLimits, BucketTake, SlotLeases, TokenBuckets } from "./rate-limits/contract.js";
export { createMemoryStore } from "./memory/store.js";
export type { MemoryStoreOptions } from "./memory/store.js";
export { compareResumeTokens, isResumeToken } from "./history.js";
