import { DataplaneType, MeshType, meshScopedTypes } from "@kuma-ts/model";
import { startRedisCluster, type RedisCluster } from "@kuma-ts/redis-harness";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ResourceStore } from "../contract.js";
import { describeRedisConcurrency } from "../test-support/concurrency-suite.js";
import { describeStoreContract } from "../test-support/contract-suite.js";
import { describeHistoryContract } from "../test-support/history-suite.js";
import {
  redisFixture,
  redisHistoryFixture,
  scanKeys,
  uniquePrefix,
  withNodes,
} from "../test-support/redis.js";
import { dataplane, mesh } from "../test-support/resources.js";
import type { RedisStoreOptions } from "./options.js";
import { createRedisStore } from "./store.js";

// One cluster for the whole file: starting one takes seconds.
let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster({ masters: 3 });
});
afterAll(async () => {
  await cluster?.stop();
});

const clusterOptions = (): RedisStoreOptions => ({
  mode: "cluster",
  nodes: cluster.nodes.map((node) => `${node.host}:${node.port}`),
});

describeStoreContract("Redis Cluster", redisFixture(clusterOptions), { sharedBackend: true });
describeHistoryContract("Redis Cluster", redisHistoryFixture(clusterOptions));
describeRedisConcurrency("Redis Cluster", clusterOptions, () => cluster.nodes);

describe("the Redis store on a 3-master cluster", () => {
  const opened: ResourceStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it("keeps every key of a mesh in one slot, and spreads meshes over the masters", async () => {
    const prefix = uniquePrefix("slots");
    const store = createRedisStore({ ...clusterOptions(), keyPrefix: prefix });
    opened.push(store);
    const meshes = Array.from({ length: 12 }, (_, i) => `mesh-${i}`);
    for (const name of meshes) {
      await store.create(mesh(name));
      for (const type of meshScopedTypes) {
        const base = { type: type.name, mesh: name, name: "r-1" };
        await store.create(type === DataplaneType ? dataplane(name, "r-1") : (base as never));
      }
    }
    const keys = await scanKeys(cluster.nodes, `*${prefix}*`);
    // Per mesh: record, counter, history and a hash and a sorted set per type; plus the mesh
    // index and the meshes' history.
    expect(keys).toHaveLength(meshes.length * (3 + 2 * meshScopedTypes.length) + 2);
    const [slots] = await withNodes(cluster.nodes.slice(0, 1), async (redis) => {
      const bySlot = new Map<string, Set<number>>();
      for (const key of keys) {
        const tag = /^\{([^}]*)\}/.exec(key)?.[1];
        expect(tag, key).toBeDefined();
        const slot = Number(await redis.cluster("KEYSLOT", key));
        const set = bySlot.get(tag as string) ?? new Set<number>();
        set.add(slot);
        bySlot.set(tag as string, set);
      }
      return bySlot;
    });
    expect([...(slots as Map<string, Set<number>>).keys()].sort()).toEqual(
      [prefix, ...meshes.map((name) => `${prefix}:${name}`)].sort(),
    );
    for (const [tag, slotsOfTag] of slots as Map<string, Set<number>>)
      expect(slotsOfTag.size, tag).toBe(1);
    // Each master holds keys of some mesh: the meshes really live on different nodes.
    const perNode = await Promise.all(
      cluster.nodes.map((node) => scanKeys([node], `{${prefix}:*`)),
    );
    expect(perNode.filter((nodeKeys) => nodeKeys.length > 0).length).toBeGreaterThan(1);
    const page = await store.list(MeshType, undefined, { size: 5 });
    expect(page.items.map((i) => i.resource.name)).toEqual([...meshes].sort().slice(0, 5));
    expect(page.total).toBe(12);
  });
});
