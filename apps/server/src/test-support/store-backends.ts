/**
 * The stores every black-box suite runs against: the memory engine and a
 * real redis-server started by @kuma-ts/redis-harness for the test file
 * (each store on a key prefix of its own, so tests never see each other);
 * and a real Redis Cluster, for the suites of what replicas share (tokens, rate limits).
 */
import { startRedisCluster, startRedisServer } from "@kuma-ts/redis-harness";
import {
  createMemoryStore,
  createRedisStore,
  type RedisStoreOptions,
  type ResourceStore,
} from "@kuma-ts/store";

/** One kind of store, for `describe.each`. */
export interface StoreBackend {
  readonly name: "memory" | "redis" | "redis-cluster";
  /** Starts what the backend needs (call in beforeAll). */
  start(): Promise<void>;
  /** Stops it (call in afterAll). */
  stop(): Promise<void>;
  /** A new, empty store of its own (`watchHistory`: the changes it retains per mesh). */
  createStore(options?: { watchHistory?: number }): ResourceStore;
  /** Another store over the same data (a second replica); the memory engine shares the object itself. */
  peerOf(store: ResourceStore): ResourceStore;
}

/** The memory engine. */
export function memoryBackend(): StoreBackend {
  return {
    name: "memory",
    start: async () => {},
    stop: async () => {},
    createStore: (options) => createMemoryStore(options),
    peerOf: (store) => store,
  };
}

let prefixes = 0;
const uniquePrefix = (): string => `server-test-${process.pid}-${++prefixes}`;

/** A backend over Redis servers started for the test file by `start`. */
function redisEngine<T extends { stop(): Promise<void> }>(
  name: StoreBackend["name"],
  start: () => Promise<T>,
  connection: (started: T) => RedisStoreOptions,
): StoreBackend {
  let started: T | undefined;
  const reach = () => {
    if (!started) throw new Error(`the ${name} backend is not started: call start() in beforeAll`);
    return connection(started);
  };
  const prefixOf = new WeakMap<ResourceStore, string>();
  const open = (keyPrefix: string, options: { watchHistory?: number } = {}): ResourceStore => {
    const store = createRedisStore({ ...reach(), keyPrefix, ...options });
    prefixOf.set(store, keyPrefix);
    return store;
  };
  return {
    name,
    start: async () => {
      started ??= await start();
    },
    stop: async () => {
      await started?.stop();
      started = undefined;
    },
    createStore: (options) => open(uniquePrefix(), options),
    peerOf: (store) => open(prefixOf.get(store) ?? uniquePrefix()),
  };
}

/** A real redis-server, one per test file. */
export function redisBackend(): StoreBackend {
  return redisEngine(
    "redis",
    () => startRedisServer(),
    (redis) => ({ url: redis.url }),
  );
}

/** A real 3-master Redis Cluster, one per test file (starting one takes seconds: give beforeAll 60 s). */
export function redisClusterBackend(): StoreBackend {
  return redisEngine(
    "redis-cluster",
    () => startRedisCluster({ masters: 3 }),
    (cluster) => ({
      mode: "cluster",
      nodes: cluster.nodes.map((node) => `${node.host}:${node.port}`),
    }),
  );
}

/** Every backend, fresh for one test file. */
export function storeBackends(): StoreBackend[] {
  return [memoryBackend(), redisBackend()];
}
