/**
 * The engines the state replicas share (global secrets, token buckets, slot
 * leases) is tested on: memory, a standalone redis-server and a 3-master
 * Redis Cluster, both started by @kuma-ts/redis-harness once for the test file.
 */
import {
  startRedisCluster,
  startRedisServer,
  type RedisCluster,
  type RedisServer,
} from "@kuma-ts/redis-harness";
import { afterAll, afterEach, beforeAll } from "vitest";
import type { ResourceStore } from "../contract.js";
import { createMemoryStore } from "../memory/store.js";
import type { RedisStoreOptions } from "../redis/options.js";
import { createRedisStore } from "../redis/store.js";
import { uniquePrefix } from "./redis.js";

/** One engine, for `describe.each`. */
export interface StoreBackend {
  readonly name: string;
  /**
   * A store over a fresh, empty data set, and a way to open more replicas
   * over the same data (the memory engine answers the store itself); Redis
   * stores are closed after the test.
   */
  open(): { store: ResourceStore; peer: () => ResourceStore };
}

/** Starts the Redis servers of the file (in beforeAll) and answers its backends, keys prefixed with `label`. */
export function useStoreBackends(label: string): {
  readonly backends: readonly StoreBackend[];
  /** The standalone redis-server, once started. */
  readonly redis: () => RedisServer;
} {
  let redis: RedisServer | undefined;
  let cluster: RedisCluster | undefined;
  beforeAll(async () => {
    [redis, cluster] = await Promise.all([startRedisServer(), startRedisCluster({ masters: 3 })]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), cluster?.stop()]);
  });
  const opened: ResourceStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  const started = <T>(server: T | undefined): T => {
    if (!server) throw new Error("the Redis servers are not started yet: open stores in tests");
    return server;
  };
  const openRedis = (options: () => RedisStoreOptions) => () => {
    const keyPrefix = uniquePrefix(label);
    const peer = (): ResourceStore => {
      const store = createRedisStore({ ...options(), keyPrefix });
      opened.push(store);
      return store;
    };
    return { store: peer(), peer };
  };
  return {
    backends: [
      {
        name: "memory",
        open: () => {
          const store = createMemoryStore();
          return { store, peer: () => store };
        },
      },
      { name: "Redis", open: openRedis(() => ({ url: started(redis).url })) },
      {
        name: "Redis Cluster",
        open: openRedis(() => ({
          mode: "cluster",
          nodes: started(cluster).nodes.map((node) => `${node.host}:${node.port}`),
        })),
      },
    ],
    redis: () => started(redis),
  };
}
