/**
 * The stores every black-box suite runs against: the memory engine and a
 * real redis-server started by @kuma-ts/redis-harness for the test file
 * (each store on a key prefix of its own, so tests never see each other).
 */
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { createMemoryStore, createRedisStore, type ResourceStore } from "@kuma-ts/store";

/** One kind of store, for `describe.each`. */
export interface StoreBackend {
  readonly name: "memory" | "redis";
  /** Starts what the backend needs (call in beforeAll). */
  start(): Promise<void>;
  /** Stops it (call in afterAll). */
  stop(): Promise<void>;
  /** A new, empty store of its own (`watchHistory`: the changes it retains per mesh). */
  createStore(options?: { watchHistory?: number }): ResourceStore;
  /** Another store over the same data (a second replica); the memory engine shares the object itself. */
  peerOf(store: ResourceStore): ResourceStore;
  /** The environment that makes `kuma-cp run` use a new, empty store of this backend. */
  env(): Record<string, string>;
}

/** The memory engine. */
export function memoryBackend(): StoreBackend {
  return {
    name: "memory",
    start: async () => {},
    stop: async () => {},
    createStore: (options) => createMemoryStore(options),
    peerOf: (store) => store,
    env: () => ({ KUMA_STORE_TYPE: "memory" }),
  };
}

let prefixes = 0;
const uniquePrefix = (): string => `server-test-${process.pid}-${++prefixes}`;

/** A real redis-server, one per test file. */
export function redisBackend(): StoreBackend {
  let redis: RedisServer | undefined;
  const prefixOf = new WeakMap<ResourceStore, string>();
  const url = (): string => {
    if (!redis) throw new Error("the Redis backend is not started: call start() in beforeAll");
    return redis.url;
  };
  const open = (keyPrefix: string, options: { watchHistory?: number } = {}): ResourceStore => {
    const store = createRedisStore({ url: url(), keyPrefix, ...options });
    prefixOf.set(store, keyPrefix);
    return store;
  };
  return {
    name: "redis",
    start: async () => {
      redis ??= await startRedisServer();
    },
    stop: async () => {
      await redis?.stop();
      redis = undefined;
    },
    createStore: (options) => open(uniquePrefix(), options),
    peerOf: (store) => open(prefixOf.get(store) ?? uniquePrefix()),
    env: () => ({ KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_URL: url(), KUMA_STORE_REDIS_KEY_PREFIX: uniquePrefix() }),
  };
}

/** Every backend, fresh for one test file. */
export function storeBackends(): StoreBackend[] {
  return [memoryBackend(), redisBackend()];
}
