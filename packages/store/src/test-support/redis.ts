/** Helpers for tests against real Redis servers started by @kuma-ts/redis-harness. */
import { Redis } from "ioredis";
import type { RedisStoreOptions } from "../redis/options.js";
import { createRedisStore } from "../redis/store.js";
import type { StoreFixture } from "./contract-suite.js";

let prefixes = 0;

/** A key prefix no other test of this process uses, so tests can share one Redis. */
export function uniquePrefix(label = "t"): string {
  return `${label}${process.pid}-${++prefixes}`;
}

/** A contract-suite fixture: each test gets a store with a fresh key prefix, and peers on that prefix. */
export function redisFixture(options: () => RedisStoreOptions): () => Promise<StoreFixture> {
  return async () => {
    const keyPrefix = uniquePrefix();
    const open = async () => createRedisStore({ ...options(), keyPrefix });
    return { store: await open(), openPeer: open };
  };
}

/** A node to talk to directly. */
export interface NodeAddress {
  readonly host: string;
  readonly port: number;
}

/** Runs `work` with a plain connection to each node (one node for standalone, every master for a cluster). */
export async function withNodes<T>(
  nodes: readonly NodeAddress[],
  work: (redis: Redis) => Promise<T>,
): Promise<T[]> {
  const clients = nodes.map(
    (node) => new Redis({ host: node.host, port: node.port, lazyConnect: true }),
  );
  try {
    return await Promise.all(clients.map(async (client) => work(client)));
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** Every key matching `pattern` on every node, found with SCAN. */
export async function scanKeys(nodes: readonly NodeAddress[], pattern: string): Promise<string[]> {
  const perNode = await withNodes(nodes, async (redis) => {
    const found: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    return found;
  });
  return perNode.flat().sort();
}

/** A history-suite fixture: a store with a fresh key prefix and the given options, and peers on it. */
export function redisHistoryFixture(
  options: () => RedisStoreOptions,
): (extra: RedisStoreOptions) => Promise<StoreFixture> {
  return async (extra) => {
    const keyPrefix = uniquePrefix("h");
    const open = async () => createRedisStore({ ...options(), ...extra, keyPrefix });
    return { store: await open(), openPeer: open };
  };
}
