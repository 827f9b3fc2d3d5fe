/**
 * Concurrency tests against a real Redis: several store objects (several
 * connections, as several control planes would have) racing on one resource
 * or one mesh. The store's scripts must keep every write atomic.
 */
import { DataplaneType, MeshType, TrafficRouteType, type Resource } from "@kuma-ts/model";
import { afterEach, describe, expect, it } from "vitest";
import type { ResourceStore } from "../contract.js";
import { MeshNotFoundError, ResourceAlreadyExistsError, VersionConflictError } from "../errors.js";
import type { RedisStoreOptions } from "../redis/options.js";
import { createRedisStore } from "../redis/store.js";
import { scanKeys, uniquePrefix, type NodeAddress } from "./redis.js";
import { counterOf, dataplane, mesh, trafficRoute } from "./resources.js";

/** Runs the concurrency tests against the Redis that `connection` and `nodes` describe. */
export function describeRedisConcurrency(
  engine: string,
  connection: () => RedisStoreOptions,
  nodes: () => readonly NodeAddress[],
): void {
  describe(`${engine} under concurrent writers`, () => {
    const opened: ResourceStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    /** `count` stores sharing one fresh key prefix. */
    function replicas(count: number): { prefix: string; stores: ResourceStore[] } {
      const prefix = uniquePrefix("c");
      const stores = Array.from({ length: count }, () =>
        createRedisStore({ ...connection(), keyPrefix: prefix }),
      );
      opened.push(...stores);
      return { prefix, stores };
    }

    it("loses no update among 50 concurrent read-modify-writes with expected versions", async () => {
      const { stores } = replicas(5);
      const [first] = stores as [ResourceStore];
      await first.create(mesh("m"));
      await first.create(dataplane("m", "dp-1", { n: "0" }));
      let conflicts = 0;
      const increment = async (store: ResourceStore): Promise<void> => {
        for (;;) {
          const current = await store.get(DataplaneType, "m", "dp-1");
          if (!current) throw new Error("the dataplane disappeared");
          const next = dataplane("m", "dp-1", { n: String(counterOf(current.resource) + 1) });
          try {
            await store.update(next, { expectVersion: current.version });
            return;
          } catch (error) {
            if (!(error instanceof VersionConflictError)) throw error;
            conflicts++;
          }
        }
      };
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => increment(stores[i % stores.length] as ResourceStore)),
      );
      const final = await first.get(DataplaneType, "m", "dp-1");
      expect(counterOf(final!.resource)).toBe(50);
      expect(conflicts).toBeGreaterThan(0); // the writers really did race
    });

    it("gives exactly one winner among concurrent creates of one name", async () => {
      const { stores } = replicas(5);
      const [first] = stores as [ResourceStore];
      await first.create(mesh("m"));
      const attempts = (make: (store: ResourceStore) => Promise<unknown>) =>
        Promise.allSettled(
          Array.from({ length: 40 }, (_, i) => make(stores[i % stores.length] as ResourceStore)),
        );
      for (const results of [
        await attempts((store) => store.create(dataplane("m", "same"))),
        await attempts((store) => store.create(mesh("racing"))),
      ]) {
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        for (const result of results) {
          if (result.status === "rejected")
            expect(result.reason).toBeInstanceOf(ResourceAlreadyExistsError);
        }
      }
      expect((await first.list(MeshType, undefined)).items.map((i) => i.resource.name)).toEqual([
        "m",
        "racing",
      ]);
    });

    it("gives exactly one created among concurrent puts of one new name, and the last write wins whole", async () => {
      const { stores } = replicas(5);
      const [first] = stores as [ResourceStore];
      await first.put(mesh("m"));
      const racing = <R extends Resource>(make: (i: number) => R) =>
        Promise.all(
          Array.from({ length: 40 }, (_, i) =>
            (stores[i % stores.length] as ResourceStore).put(make(i)),
          ),
        );
      const resources = await racing((i) => dataplane("m", "same", { n: String(i) }));
      const meshes = await racing((i) => mesh("racing", i % 2 === 0));
      for (const [results, stored] of [
        [resources, await first.get(DataplaneType, "m", "same")],
        [meshes, await first.get(MeshType, undefined, "racing")],
      ] as const) {
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.stored.version)).size).toBe(40);
        expect(new Set(results.map((result) => result.stored.resource.creationTime)).size).toBe(1);
        const winner = results.find((result) => result.stored.version === stored?.version);
        expect(winner?.stored.json).toBe(stored?.json);
      }
      expect((await first.list(MeshType, undefined)).items.map((i) => i.resource.name)).toEqual([
        "m",
        "racing",
      ]);
    });

    it("leaves no resource without its mesh when puts race deleteMesh and a put of the mesh", async () => {
      const { prefix, stores } = replicas(4);
      const [first] = stores as [ResourceStore];
      const outcomes = { created: 0, replaced: 0, refused: 0 };
      for (let round = 0; round < 6; round++) {
        const name = `p${round}`;
        await first.put(mesh(name));
        if (round % 2 === 1) await first.put(dataplane(name, "dp-0"));
        const putSome = (from: number) =>
          Array.from({ length: 45 }, (_, k) => {
            const i = from + k;
            const store = stores[i % stores.length] as ResourceStore;
            const resource =
              i % 3 ? dataplane(name, `dp-${i % 4}`, { n: String(i) }) : trafficRoute(name, "tr");
            return store.put(resource).then(
              ({ created }) => void outcomes[created ? "created" : "replaced"]++,
              (error: unknown) => {
                expect(error).toBeInstanceOf(MeshNotFoundError);
                outcomes.refused++;
              },
            );
          });
        const before = putSome(0);
        await new Promise((resolve) => setTimeout(resolve, round));
        const deleted = (stores[1] as ResourceStore).deleteMesh(name);
        // In half of the rounds the mesh is put again while resource puts are still landing.
        const recreated =
          round % 2 === 0 ? (stores[2] as ResourceStore).put(mesh(name)) : undefined;
        await Promise.all([deleted, recreated, ...before, ...putSome(45)]);
        const meshLeft = await first.get(MeshType, undefined, name);
        const listed = (await first.list(MeshType, undefined)).items.some(
          (i) => i.resource.name === name,
        );
        expect(listed).toBe(meshLeft !== undefined);
        if (!meshLeft) {
          // Neither the mesh nor anything of it but its history, which watchers resume from.
          expect(await scanKeys(nodes(), `{${prefix}:${name}}*`)).toEqual([
            `{${prefix}:${name}}:changes`,
          ]);
          expect(await first.list(DataplaneType, name)).toEqual({ items: [], total: 0 });
          expect(await first.list(TrafficRouteType, name)).toEqual({ items: [], total: 0 });
        }
      }
      // The writers really did race the deletions.
      expect(outcomes.refused).toBeGreaterThan(0);
      expect(outcomes.created + outcomes.replaced).toBeGreaterThan(0);
    });

    it("leaves no orphan when deleteMesh races creates in that mesh", async () => {
      const { prefix, stores } = replicas(4);
      const [first] = stores as [ResourceStore];
      for (let round = 0; round < 5; round++) {
        const name = `m${round}`;
        await first.create(mesh(name));
        const creates = Array.from({ length: 120 }, (_, i) => {
          const store = stores[i % stores.length] as ResourceStore;
          const resource = i % 2 ? dataplane(name, `dp-${i}`) : trafficRoute(name, `tr-${i}`);
          return store.create(resource).then(
            () => "created",
            (error: unknown) => {
              // Before the deletion a create succeeds; after it, the mesh is gone: nothing else may happen.
              expect(error).toBeInstanceOf(MeshNotFoundError);
              return "refused";
            },
          );
        });
        // Let some creates land first, then delete while the rest are in flight.
        await new Promise((resolve) => setTimeout(resolve, round));
        expect(await (stores[1] as ResourceStore).deleteMesh(name)).toBe(true);
        await Promise.all(creates);
        expect(await scanKeys(nodes(), `{${prefix}:${name}}*`)).toEqual([
          `{${prefix}:${name}}:changes`,
        ]);
        expect(await first.get(MeshType, undefined, name)).toBeUndefined();
        expect(await first.list(DataplaneType, name)).toEqual({ items: [], total: 0 });
        expect(await first.list(TrafficRouteType, name)).toEqual({ items: [], total: 0 });
      }
      expect(await first.list(MeshType, undefined)).toEqual({ items: [], total: 0 });
    });

    it("keeps the mesh index in step with the meshes when a mesh is deleted and created concurrently", async () => {
      const { prefix, stores } = replicas(4);
      for (let round = 0; round < 10; round++) {
        const name = `flip${round}`;
        await Promise.allSettled(
          Array.from({ length: 24 }, (_, i) => {
            const store = stores[i % stores.length] as ResourceStore;
            return i % 3 === 0 ? store.deleteMesh(name) : store.create(mesh(name));
          }),
        );
        const exists = (await scanKeys(nodes(), `{${prefix}:${name}}:mesh`)).length === 1;
        const listed = (await stores[0]!.list(MeshType, undefined)).items.some(
          (i) => i.resource.name === name,
        );
        expect(listed).toBe(exists);
      }
    });
  });
}
