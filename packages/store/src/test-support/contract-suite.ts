/**
 * The store contract, as tests: one suite that every engine must pass
 * (memory, Redis standalone, Redis Cluster). Each test gets a fresh, empty
 * store from the engine's fixture.
 */
import {
  DataplaneInsightType,
  DataplaneType,
  encodeResource,
  HealthCheckType,
  MeshType,
  meshScopedTypes,
  parseTimestamp,
  TrafficRouteType,
} from "@kuma-ts/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChangeEvent, ResourceStore } from "../contract.js";
import { encodeCursor } from "../cursor.js";
import {
  InvalidCursorError,
  MeshNotFoundError,
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
} from "../errors.js";
import { counterOf, dataplane, mesh, trafficRoute, type Dataplane } from "./resources.js";

/** What an engine provides to the suite. */
export interface StoreFixture {
  /** A new store over an empty backend of its own. */
  readonly store: ResourceStore;
  /** Another store over the same backend (a second replica), when the engine can share one. */
  readonly openPeer?: () => Promise<ResourceStore>;
}

const MS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** How long `collect` lets events of earlier writes arrive before it starts collecting. */
const EARLIER_EVENTS_SETTLE_MS = 100;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for change events, generously: a loaded CI machine may take a while to deliver them. */
const eventually = (check: () => void): Promise<void> =>
  vi.waitFor(check, { timeout: 5000, interval: 10 });

/** Runs the contract suite against the stores `open` makes. */
export function describeStoreContract(
  engine: string,
  open: () => Promise<StoreFixture>,
  options: { readonly sharedBackend: boolean },
): void {
  describe(`the ${engine} store contract`, () => {
    const opened: ResourceStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close()));
    });

    const peers = new WeakMap<ResourceStore, () => Promise<ResourceStore>>();

    async function fresh(): Promise<ResourceStore> {
      const fixture = await open();
      opened.push(fixture.store);
      if (fixture.openPeer) peers.set(fixture.store, fixture.openPeer);
      return fixture.store;
    }

    /** Another store over the same backend as `store`. */
    async function peerOf(store: ResourceStore): Promise<ResourceStore> {
      const openPeer = peers.get(store);
      if (!openPeer) throw new Error(`${engine} stores cannot share a backend`);
      const peer = await openPeer();
      opened.push(peer);
      return peer;
    }

    /** A store with mesh `m` in it. */
    async function withMesh(name = "m"): Promise<ResourceStore> {
      const store = await fresh();
      await store.create(mesh(name));
      return store;
    }

    describe("create and get", () => {
      it("returns the stored resource with its version and canonical wire text", async () => {
        const store = await withMesh();
        const created = await store.create(dataplane("m", "dp-1"));
        expect(created.version).toEqual(expect.any(String));
        expect(created.json).toBe(encodeResource(created.resource));
        expect(created.resource).toMatchObject(dataplane("m", "dp-1"));
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(created);
      });

      it("stores the canonical form: zero values dropped, map keys sorted", async () => {
        const store = await withMesh();
        const created = await store.create({
          ...dataplane("m", "dp-1"),
          networking: { address: "", inbound: [{ port: 1, tags: { z: "1", a: "2" } }] },
        });
        expect(created.json).toBe(
          `{"type":"Dataplane","mesh":"m","name":"dp-1","creationTime":"${created.resource.creationTime}",` +
            `"modificationTime":"${created.resource.modificationTime}",` +
            `"networking":{"inbound":[{"port":1,"tags":{"a":"2","z":"1"}}]}}`,
        );
        expect((await store.get(DataplaneType, "m", "dp-1"))?.json).toBe(created.json);
      });

      it("hands out frozen resources and keeps no reference to the caller's object", async () => {
        const store = await withMesh();
        const input = dataplane("m", "dp-1");
        const created = await store.create(input);
        (input.networking as { address: string }).address = "10.9.9.9";
        const read = await store.get(DataplaneType, "m", "dp-1");
        expect(read?.resource.networking?.address).toBe("10.0.0.1");
        expect(() => {
          (created.resource.networking as { address: string }).address = "x";
        }).toThrow(TypeError);
        expect(() => {
          (read?.resource as { name: string }).name = "x";
        }).toThrow(TypeError);
      });

      it("finds nothing for a missing resource, a missing mesh or a name that cannot exist", async () => {
        const store = await withMesh();
        expect(await store.get(DataplaneType, "m", "dp-1")).toBeUndefined();
        expect(await store.get(DataplaneType, "nope", "dp-1")).toBeUndefined();
        expect(await store.get(MeshType, undefined, "nope")).toBeUndefined();
        expect(await store.get(DataplaneType, "m", "Not Valid}")).toBeUndefined();
        expect(await store.get(DataplaneType, "{m}:x", "dp-1")).toBeUndefined();
        expect(await store.get(MeshType, undefined, "M*")).toBeUndefined();
      });

      it("fails with ResourceAlreadyExistsError when the name is taken in that mesh and type", async () => {
        const store = await withMesh();
        await store.create(dataplane("m", "dp-1"));
        const error = await store.create(dataplane("m", "dp-1")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResourceAlreadyExistsError);
        expect(error).toMatchObject({
          code: "ALREADY_EXISTS",
          type: "Dataplane",
          mesh: "m",
          resourceName: "dp-1",
        });
        await expect(store.create(mesh("m"))).rejects.toBeInstanceOf(ResourceAlreadyExistsError);
      });

      it("keeps the same name apart across meshes and types", async () => {
        const store = await withMesh("a");
        await store.create(mesh("b"));
        await store.create(dataplane("a", "x"));
        await store.create(dataplane("b", "x"));
        await store.create(trafficRoute("a", "x"));
        expect((await store.get(DataplaneType, "b", "x"))?.resource.mesh).toBe("b");
        expect((await store.get(TrafficRouteType, "a", "x"))?.resource.type).toBe("TrafficRoute");
        expect(await store.get(TrafficRouteType, "b", "x")).toBeUndefined();
      });

      it("fails with MeshNotFoundError when the mesh of a new resource does not exist", async () => {
        const store = await withMesh();
        const error = await store.create(dataplane("other", "dp-1")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MeshNotFoundError);
        expect(error).toMatchObject({ code: "MESH_NOT_FOUND", mesh: "other" });
        expect(await store.get(DataplaneType, "other", "dp-1")).toBeUndefined();
      });

      it("rejects names that could never be valid instead of storing them", async () => {
        const store = await withMesh();
        await expect(store.create(dataplane("m", "DP}1"))).rejects.toThrow(TypeError);
        await expect(store.create(mesh("a:b"))).rejects.toThrow(TypeError);
        await expect(store.create(dataplane("m{", "dp-1"))).rejects.toThrow(TypeError);
        await expect(store.put(dataplane("m", "DP}1"))).rejects.toThrow(TypeError);
        await expect(store.put(mesh("a:b"))).rejects.toThrow(TypeError);
      });

      it("reads several resources of a mesh at once, in the order asked", async () => {
        const store = await withMesh();
        await store.create(dataplane("m", "b"));
        await store.create(dataplane("m", "a"));
        const many = await store.getMany(DataplaneType, "m", ["a", "missing", "b", "a"]);
        expect(many.map((item) => item?.resource.name)).toEqual(["a", undefined, "b", "a"]);
        expect(await store.getMany(DataplaneType, "m", [])).toEqual([]);
        await store.create(mesh("n"));
        const meshes = await store.getMany(MeshType, undefined, ["n", "zzz", "m"]);
        expect(meshes.map((item) => item?.resource.name)).toEqual(["n", undefined, "m"]);
      });
    });

    describe("versions and conflicts", () => {
      it("changes the version on every write", async () => {
        const store = await withMesh();
        const versions = new Set<string>();
        const created = await store.create(dataplane("m", "dp-1"));
        versions.add(created.version);
        for (let i = 1; i <= 3; i++) {
          const updated = await store.update(dataplane("m", "dp-1", { n: String(i) }));
          versions.add(updated.version);
          expect((await store.get(DataplaneType, "m", "dp-1"))?.version).toBe(updated.version);
        }
        expect(versions.size).toBe(4);
      });

      it("updates when the expected version is the stored one", async () => {
        const store = await withMesh();
        const created = await store.create(dataplane("m", "dp-1"));
        const updated = await store.update(dataplane("m", "dp-1", { n: "1" }), {
          expectVersion: created.version,
        });
        expect(counterOf(updated.resource)).toBe(1);
      });

      it("fails with VersionConflictError on a stale version and leaves the resource unchanged", async () => {
        const store = await withMesh();
        const created = await store.create(dataplane("m", "dp-1"));
        const current = await store.update(dataplane("m", "dp-1", { n: "1" }));
        const error = await store
          .update(dataplane("m", "dp-1", { n: "2" }), { expectVersion: created.version })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(VersionConflictError);
        expect(error).toMatchObject({
          code: "CONFLICT",
          expectedVersion: created.version,
          actualVersion: current.version,
        });
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(current);
      });

      it("fails with ResourceNotFoundError when updating a missing resource", async () => {
        const store = await withMesh();
        const error = await store.update(dataplane("m", "dp-1")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ResourceNotFoundError);
        expect(error).toMatchObject({
          code: "NOT_FOUND",
          type: "Dataplane",
          mesh: "m",
          resourceName: "dp-1",
        });
        await expect(store.update(mesh("nope"))).rejects.toBeInstanceOf(ResourceNotFoundError);
        await expect(store.update(dataplane("nope", "dp-1"))).rejects.toBeInstanceOf(
          ResourceNotFoundError,
        );
      });

      it("deletes only when the expected version is the stored one", async () => {
        const store = await withMesh();
        const created = await store.create(dataplane("m", "dp-1"));
        const current = await store.update(dataplane("m", "dp-1", { n: "1" }));
        await expect(
          store.delete(DataplaneType, "m", "dp-1", { expectVersion: created.version }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(current);
        await store.delete(DataplaneType, "m", "dp-1", { expectVersion: current.version });
        expect(await store.get(DataplaneType, "m", "dp-1")).toBeUndefined();
      });

      it("fails with ResourceNotFoundError when deleting a missing resource", async () => {
        const store = await withMesh();
        await expect(store.delete(DataplaneType, "m", "dp-1")).rejects.toBeInstanceOf(
          ResourceNotFoundError,
        );
        await expect(store.delete(DataplaneType, "nope", "dp-1")).rejects.toBeInstanceOf(
          ResourceNotFoundError,
        );
        await expect(store.delete(MeshType, undefined, "nope")).rejects.toBeInstanceOf(
          ResourceNotFoundError,
        );
        await expect(store.delete(DataplaneType, "m", "Bad Name")).rejects.toBeInstanceOf(
          ResourceNotFoundError,
        );
      });

      it("never reuses a version after a mesh is deleted and created again", async () => {
        const store = await withMesh();
        const before = await store.create(dataplane("m", "dp-1"));
        const meshBefore = await store.get(MeshType, undefined, "m");
        await store.deleteMesh("m");
        const meshAfter = await store.create(mesh("m"));
        const after = await store.create(dataplane("m", "dp-1"));
        expect(after.version).not.toBe(before.version);
        expect(meshAfter.version).not.toBe(meshBefore?.version);
        await expect(
          store.update(dataplane("m", "dp-1"), { expectVersion: before.version }),
        ).rejects.toBeInstanceOf(VersionConflictError);
      });
    });

    describe("put: create or replace in one step", () => {
      it("creates a resource that does not exist and replaces one that does", async () => {
        const store = await withMesh();
        const first = await store.put(dataplane("m", "dp-1", { n: "1" }));
        expect(first.created).toBe(true);
        expect(first.stored.json).toBe(encodeResource(first.stored.resource));
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(first.stored);
        await sleep(5);
        const second = await store.put(dataplane("m", "dp-1", { n: "2" }));
        expect(second.created).toBe(false);
        expect(second.stored.version).not.toBe(first.stored.version);
        expect(counterOf(second.stored.resource)).toBe(2);
        expect(second.stored.resource.creationTime).toBe(first.stored.resource.creationTime);
        expect(second.stored.resource.modificationTime! > first.stored.resource.creationTime!).toBe(
          true,
        );
        expect(second.stored.json).toBe(encodeResource(second.stored.resource));
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(second.stored);
        expect((await store.list(DataplaneType, "m")).items).toEqual([second.stored]);
      });

      it("replaces the whole resource, ignoring the caller's timestamps", async () => {
        const store = await withMesh();
        const created = await store.put({
          ...dataplane("m", "dp-1", { extra: "x" }),
          creationTime: "2001-01-01T00:00:00Z",
        });
        expect(created.stored.resource.creationTime).toMatch(MS_TIMESTAMP);
        const replaced = await store.put({
          ...dataplane("m", "dp-1"),
          creationTime: "2001-01-01T00:00:00Z",
          modificationTime: "2001-01-01T00:00:00Z",
        });
        expect(replaced.stored.resource.creationTime).toBe(created.stored.resource.creationTime);
        expect(replaced.stored.resource.modificationTime).toMatch(MS_TIMESTAMP);
        expect(replaced.stored.resource.networking?.inbound?.[0]?.tags).toEqual({
          service: "web",
        });
      });

      it("creates and replaces meshes, which stay listed", async () => {
        const store = await fresh();
        const created = await store.put(mesh("m"));
        expect(created.created).toBe(true);
        const replaced = await store.put(mesh("m", true));
        expect(replaced.created).toBe(false);
        expect(replaced.stored.resource.mtls?.enabled).toBe(true);
        expect(replaced.stored.resource.creationTime).toBe(created.stored.resource.creationTime);
        expect(replaced.stored.version).not.toBe(created.stored.version);
        expect((await store.list(MeshType, undefined)).items).toEqual([replaced.stored]);
        await store.put(dataplane("m", "dp-1"));
        expect(await store.get(DataplaneType, "m", "dp-1")).toBeDefined();
      });

      it("fails with MeshNotFoundError when it would create into a mesh that does not exist", async () => {
        const store = await withMesh();
        const error = await store.put(dataplane("other", "dp-1")).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(MeshNotFoundError);
        expect(error).toMatchObject({ code: "MESH_NOT_FOUND", mesh: "other" });
        expect(await store.get(DataplaneType, "other", "dp-1")).toBeUndefined();
        expect(await store.list(DataplaneType, "other")).toEqual({ items: [], total: 0 });
        await store.deleteMesh("m");
        await expect(store.put(dataplane("m", "dp-1"))).rejects.toBeInstanceOf(MeshNotFoundError);
      });

      it("creates a new name exactly once among concurrent puts, and the last write wins whole", async () => {
        const store = await withMesh();
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.put(dataplane("m", "same", { n: String(i) }))),
        );
        expect(results.filter((result) => result.created)).toHaveLength(1);
        expect(new Set(results.map((result) => result.stored.version)).size).toBe(20);
        const stored = await store.get(DataplaneType, "m", "same");
        const winner = results.find((result) => result.stored.version === stored?.version);
        expect(winner?.stored.json).toBe(stored?.json);
        const creationTimes = new Set(results.map((r) => r.stored.resource.creationTime));
        expect(creationTimes.size).toBe(1);
      });

      it("leaves no resource without its mesh when puts race a mesh delete", async () => {
        const store = await fresh();
        for (let round = 0; round < 4; round++) {
          const name = `m${round}`;
          await store.put(mesh(name));
          // Half of the rounds replace a resource that exists, half create one.
          if (round % 2 === 1) await store.put(dataplane(name, "dp"));
          const puts = Array.from({ length: 20 }, (_, i) =>
            store.put(dataplane(name, "dp", { n: String(i) })),
          );
          const deleted = store.deleteMesh(name);
          const later = Array.from({ length: 20 }, (_, i) =>
            store.put(dataplane(name, i % 2 ? "dp" : `dp-${i}`)),
          );
          for (const result of await Promise.allSettled([...puts, ...later])) {
            if (result.status === "rejected")
              expect(result.reason).toBeInstanceOf(MeshNotFoundError);
          }
          expect(await deleted).toBe(true);
          // Puts before the delete went with the mesh; those after it found no mesh.
          expect(await store.get(MeshType, undefined, name)).toBeUndefined();
          expect(await store.list(DataplaneType, name)).toEqual({ items: [], total: 0 });
        }
        expect(await store.list(MeshType, undefined)).toEqual({ items: [], total: 0 });
      });
    });

    describe("timestamps", () => {
      it("sets creationTime and modificationTime on create, ignoring the caller's", async () => {
        const store = await withMesh();
        const started = Date.now();
        const created = await store.create({
          ...dataplane("m", "dp-1"),
          creationTime: "2001-01-01T00:00:00Z",
          modificationTime: "2001-01-01T00:00:00Z",
        });
        const { creationTime, modificationTime } = created.resource;
        expect(creationTime).toMatch(MS_TIMESTAMP);
        expect(modificationTime).toBe(creationTime);
        const millis = (parseTimestamp(creationTime ?? "")?.seconds ?? 0) * 1000;
        expect(millis).toBeGreaterThanOrEqual(Math.floor(started / 1000) * 1000 - 1000);
        expect((await store.get(DataplaneType, "m", "dp-1"))?.resource.creationTime).toBe(
          creationTime,
        );
      });

      it("keeps creationTime and moves modificationTime on update", async () => {
        const store = await withMesh();
        const created = await store.create(dataplane("m", "dp-1"));
        await sleep(5);
        const updated = await store.update({
          ...dataplane("m", "dp-1", { n: "1" }),
          creationTime: "2001-01-01T00:00:00Z",
        });
        expect(updated.resource.creationTime).toBe(created.resource.creationTime);
        expect(updated.resource.modificationTime).toMatch(MS_TIMESTAMP);
        expect(updated.resource.modificationTime! > created.resource.modificationTime!).toBe(true);
        expect(updated.json).toBe(encodeResource(updated.resource));
        expect(await store.get(DataplaneType, "m", "dp-1")).toEqual(updated);
        const meshUpdated = await store.update(mesh("m", true));
        expect(meshUpdated.resource.creationTime).toBe(
          (await store.get(MeshType, undefined, "m"))?.resource.creationTime,
        );
        expect(meshUpdated.resource.mtls?.enabled).toBe(true);
      });
    });

    describe("ordering and paging", () => {
      const names = ["b", "a-2", "a_1", "0", "a", "z9", "a-10", "_x", "-y", "a-1"];

      async function storeWith(count: number | readonly string[]): Promise<ResourceStore> {
        const store = await withMesh();
        const all =
          typeof count === "number"
            ? Array.from({ length: count }, (_, i) => `dp-${String(i).padStart(3, "0")}`)
            : count;
        for (const name of all)
          await store.create(dataplane("m", name, { parity: name.length % 2 ? "odd" : "even" }));
        return store;
      }

      async function pageThrough(
        store: ResourceStore,
        size: number,
        filter?: (r: Dataplane) => boolean,
      ): Promise<string[][]> {
        const pages: string[][] = [];
        let offset: string | undefined;
        do {
          const page = await store.list(DataplaneType, "m", {
            size,
            offset,
            ...(filter ? { filter } : {}),
          });
          pages.push(page.items.map((item) => item.resource.name));
          offset = page.nextOffset;
        } while (offset !== undefined && pages.length < 100);
        return pages;
      }

      it("lists by name in code point order whatever the order of creation", async () => {
        const store = await storeWith(names);
        const all = await store.list(DataplaneType, "m");
        expect(all.items.map((item) => item.resource.name)).toEqual([...names].sort());
        expect(all.total).toBe(names.length);
        expect(all.nextOffset).toBeUndefined();
      });

      it("pages through every item once, with the total of the whole collection on each page", async () => {
        const store = await storeWith(25);
        const first = await store.list(DataplaneType, "m", { size: 10 });
        expect(first.total).toBe(25);
        expect(first.items).toHaveLength(10);
        expect(first.nextOffset).toEqual(expect.any(String));
        const pages = await pageThrough(store, 10);
        expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
        expect(pages.flat()).toEqual(
          Array.from({ length: 25 }, (_, i) => `dp-${String(i).padStart(3, "0")}`),
        );
        const exact = await pageThrough(store, 5);
        expect(exact).toHaveLength(5);
      });

      it("has no next page when the last page is exactly full", async () => {
        const store = await storeWith(4);
        const page = await store.list(DataplaneType, "m", { size: 4 });
        expect(page.items).toHaveLength(4);
        expect(page.nextOffset).toBeUndefined();
      });

      it("keeps paging stable while items are added and removed", async () => {
        const store = await storeWith(["a", "c", "e", "g", "i", "k"]);
        const first = await store.list(DataplaneType, "m", { size: 3 });
        expect(first.items.map((i) => i.resource.name)).toEqual(["a", "c", "e"]);
        await store.create(dataplane("m", "b")); // before the cursor: not seen again
        await store.delete(DataplaneType, "m", "e"); // the cursor's own item
        await store.delete(DataplaneType, "m", "g"); // next in line: skipped, it is gone
        await store.create(dataplane("m", "h")); // after the cursor: seen
        const second = await store.list(DataplaneType, "m", { size: 3, offset: first.nextOffset });
        expect(second.items.map((i) => i.resource.name)).toEqual(["h", "i", "k"]);
        expect(second.total).toBe(6);
        expect(second.nextOffset).toBeUndefined();
      });

      it("rejects an offset that no list produced with InvalidCursorError", async () => {
        const store = await storeWith(3);
        for (const offset of [
          "",
          "abc",
          "0",
          "10",
          "dp-001",
          encodeCursor("Not Valid"),
          `${encodeCursor("dp-001")}=`,
        ]) {
          const error = await store
            .list(DataplaneType, "m", { size: 2, offset })
            .catch((e: unknown) => e);
          expect(error, offset).toBeInstanceOf(InvalidCursorError);
          expect(error).toMatchObject({ code: "INVALID_CURSOR", offset });
        }
        await expect(store.list(MeshType, undefined, { offset: "x" })).rejects.toBeInstanceOf(
          InvalidCursorError,
        );
      });

      it("rejects a page size that is not a positive integer", async () => {
        const store = await storeWith(1);
        await expect(store.list(DataplaneType, "m", { size: 0 })).rejects.toThrow(RangeError);
        await expect(store.list(DataplaneType, "m", { size: 1.5 })).rejects.toThrow(RangeError);
      });

      it("counts and pages only the items a filter accepts", async () => {
        const store = await storeWith(names);
        const even = (r: Dataplane): boolean =>
          r.networking?.inbound?.[0]?.tags?.["parity"] === "even";
        const expected = [...names].filter((n) => n.length % 2 === 0).sort();
        const first = await store.list(DataplaneType, "m", { size: 2, filter: even });
        expect(first.total).toBe(expected.length);
        expect(first.items.map((i) => i.resource.name)).toEqual(expected.slice(0, 2));
        expect((await pageThrough(store, 2, even)).flat()).toEqual(expected);
        const none = await store.list(DataplaneType, "m", { filter: () => false });
        expect(none).toEqual({ items: [], total: 0 });
      });

      it("lists nothing for a mesh that does not exist", async () => {
        const store = await storeWith(2);
        expect(await store.list(DataplaneType, "other")).toEqual({ items: [], total: 0 });
        expect(await store.list(DataplaneType, "Invalid Mesh")).toEqual({ items: [], total: 0 });
        expect(await store.list(HealthCheckType, "m", { size: 5 })).toEqual({
          items: [],
          total: 0,
        });
      });

      it("lists and pages meshes like any other type", async () => {
        const store = await fresh();
        for (const name of ["c", "a", "d", "b", "e"]) await store.create(mesh(name));
        const first = await store.list(MeshType, undefined, { size: 2 });
        expect(first.items.map((i) => i.resource.name)).toEqual(["a", "b"]);
        expect(first.total).toBe(5);
        await store.deleteMesh("c");
        const second = await store.list(MeshType, undefined, { size: 2, offset: first.nextOffset });
        expect(second.items.map((i) => i.resource.name)).toEqual(["d", "e"]);
        expect(second.total).toBe(4);
        expect(second.nextOffset).toBeUndefined();
        const mtls = await store.list(MeshType, undefined, { filter: (m) => m.name > "b" });
        expect(mtls.items.map((i) => i.resource.name)).toEqual(["d", "e"]);
        expect(mtls.total).toBe(2);
        expect((await store.list(MeshType, undefined)).items.map((i) => i.version)).toEqual(
          (await store.getMany(MeshType, undefined, ["a", "b", "d", "e"])).map((i) => i?.version),
        );
      });

      it("pages a collection larger than one internal batch", async () => {
        const store = await withMesh();
        const count = 1234;
        await Promise.all(
          Array.from({ length: count }, (_, i) =>
            store.create(dataplane("m", `dp-${String(i).padStart(4, "0")}`)),
          ),
        );
        const all = await store.list(DataplaneType, "m");
        expect(all.items).toHaveLength(count);
        expect(all.total).toBe(count);
        const big = await store.list(DataplaneType, "m", { size: 1100 });
        expect(big.items).toHaveLength(1100);
        expect(big.items[1099]?.resource.name).toBe("dp-1099");
        const rest = await store.list(DataplaneType, "m", { size: 1100, offset: big.nextOffset });
        expect(rest.items.map((i) => i.resource.name)[0]).toBe("dp-1100");
        expect(rest.items).toHaveLength(count - 1100);
        expect(rest.nextOffset).toBeUndefined();
        const filtered = await store.list(DataplaneType, "m", {
          size: 3,
          filter: (r) => r.name.endsWith("7"),
        });
        expect(filtered.total).toBe(all.items.filter((i) => i.resource.name.endsWith("7")).length);
        expect(filtered.items.map((i) => i.resource.name)).toEqual([
          "dp-0007",
          "dp-0017",
          "dp-0027",
        ]);
      });
    });

    describe("the mesh cascade", () => {
      async function populated(): Promise<ResourceStore> {
        const store = await withMesh("m");
        await store.create(mesh("keep"));
        await store.create(dataplane("m", "dp-1"));
        await store.create(dataplane("m", "dp-2"));
        await store.create(trafficRoute("m", "route"));
        await store.create({ type: "DataplaneInsight", mesh: "m", name: "dp-1" });
        await store.create(dataplane("keep", "dp-1"));
        return store;
      }

      it("deletes the mesh and every resource of every type in it, and nothing else", async () => {
        const store = await populated();
        expect(await store.deleteMesh("m")).toBe(true);
        expect(await store.get(MeshType, undefined, "m")).toBeUndefined();
        for (const type of meshScopedTypes)
          expect(await store.list(type, "m")).toEqual({ items: [], total: 0 });
        expect(await store.get(DataplaneType, "keep", "dp-1")).toBeDefined();
        expect((await store.list(MeshType, undefined)).items.map((i) => i.resource.name)).toEqual([
          "keep",
        ]);
        expect(await store.deleteMesh("m")).toBe(false);
        expect(await store.deleteMesh("Not Valid")).toBe(false);
      });

      it("cascades when a Mesh is deleted like any resource, and not at all on a version conflict", async () => {
        const store = await populated();
        const current = await store.get(MeshType, undefined, "m");
        await expect(
          store.delete(MeshType, undefined, "m", { expectVersion: "0" }),
        ).rejects.toBeInstanceOf(VersionConflictError);
        expect(await store.get(DataplaneInsightType, "m", "dp-1")).toBeDefined();
        await store.delete(MeshType, undefined, "m", { expectVersion: current?.version });
        expect(await store.get(MeshType, undefined, "m")).toBeUndefined();
        expect(await store.get(DataplaneInsightType, "m", "dp-1")).toBeUndefined();
      });

      it("leaves a mesh created again empty, and refuses resources while it is gone", async () => {
        const store = await populated();
        await store.deleteMesh("m");
        await expect(store.create(dataplane("m", "dp-9"))).rejects.toBeInstanceOf(
          MeshNotFoundError,
        );
        await store.create(mesh("m"));
        expect(await store.list(DataplaneType, "m")).toEqual({ items: [], total: 0 });
        expect(await store.get(TrafficRouteType, "m", "route")).toBeUndefined();
        await store.create(dataplane("m", "dp-1"));
      });
    });

    describe("the change feed", () => {
      /**
       * The events of the writes made after it returns. In a Redis Cluster the messages of
       * earlier writes cross the cluster bus and may still arrive after the subscription:
       * what arrives during a short quiet period is dropped.
       */
      const collect = async (store: ResourceStore): Promise<ChangeEvent[]> => {
        const events: ChangeEvent[] = [];
        await store.watch((event) => events.push(event));
        await sleep(EARLIER_EVENTS_SETTLE_MS);
        events.length = 0;
        return events;
      };

      it("reports created, updated and deleted with type, mesh, name and version, in order", async () => {
        const store = await fresh();
        const events = await collect(store);
        const m = await store.create(mesh("m"));
        const created = await store.create(dataplane("m", "dp-1"));
        const updated = await store.update(dataplane("m", "dp-1", { n: "1" }));
        await store.delete(DataplaneType, "m", "dp-1");
        await eventually(() => expect(events).toHaveLength(4));
        expect(events).toEqual([
          { kind: "created", type: "Mesh", mesh: "m", name: "m", version: m.version },
          { kind: "created", type: "Dataplane", mesh: "m", name: "dp-1", version: created.version },
          { kind: "updated", type: "Dataplane", mesh: "m", name: "dp-1", version: updated.version },
          { kind: "deleted", type: "Dataplane", mesh: "m", name: "dp-1", version: updated.version },
        ]);
      });

      it("reports a put as created, then updated, with the versions written", async () => {
        const store = await fresh();
        const events = await collect(store);
        const m = await store.put(mesh("m"));
        const created = await store.put(dataplane("m", "dp-1"));
        const updated = await store.put(dataplane("m", "dp-1", { n: "1" }));
        const meshUpdated = await store.put(mesh("m", true));
        await eventually(() => expect(events).toHaveLength(4));
        expect(events).toEqual([
          { kind: "created", type: "Mesh", mesh: "m", name: "m", version: m.stored.version },
          {
            kind: "created",
            type: "Dataplane",
            mesh: "m",
            name: "dp-1",
            version: created.stored.version,
          },
          {
            kind: "updated",
            type: "Dataplane",
            mesh: "m",
            name: "dp-1",
            version: updated.stored.version,
          },
          {
            kind: "updated",
            type: "Mesh",
            mesh: "m",
            name: "m",
            version: meshUpdated.stored.version,
          },
        ]);
      });

      it("reports a cascade as a deletion of every resource, then of the mesh", async () => {
        const store = await withMesh();
        const route = await store.create(trafficRoute("m", "r"));
        const b = await store.create(dataplane("m", "b"));
        const a = await store.create(dataplane("m", "a"));
        const m = await store.get(MeshType, undefined, "m");
        const events = await collect(store);
        await store.deleteMesh("m");
        await eventually(() => expect(events).toHaveLength(4));
        expect(events).toEqual([
          { kind: "deleted", type: "Dataplane", mesh: "m", name: "a", version: a.version },
          { kind: "deleted", type: "Dataplane", mesh: "m", name: "b", version: b.version },
          { kind: "deleted", type: "TrafficRoute", mesh: "m", name: "r", version: route.version },
          { kind: "deleted", type: "Mesh", mesh: "m", name: "m", version: m?.version },
        ]);
      });

      it("reports nothing for writes that fail", async () => {
        const store = await withMesh();
        const events = await collect(store);
        await store.create(dataplane("m", "dp-1"));
        await expect(store.create(dataplane("m", "dp-1"))).rejects.toThrow();
        await expect(
          store.update(dataplane("m", "dp-1"), { expectVersion: "0" }),
        ).rejects.toThrow();
        await expect(store.create(dataplane("nope", "dp-1"))).rejects.toThrow();
        await expect(store.put(dataplane("nope", "dp-1"))).rejects.toThrow();
        await store.delete(DataplaneType, "m", "dp-1");
        await eventually(() => expect(events).toHaveLength(2));
        await sleep(50);
        expect(events.map((e) => e.kind)).toEqual(["created", "deleted"]);
      });

      it("stops reporting to a listener once it unwatches, and keeps reporting to the others", async () => {
        const store = await withMesh();
        const kept: ChangeEvent[] = [];
        const dropped: ChangeEvent[] = [];
        await store.watch((e) => kept.push(e));
        const unwatch = await store.watch((e) => dropped.push(e));
        await store.create(dataplane("m", "dp-1"));
        await eventually(() => expect(dropped).toHaveLength(1));
        await unwatch();
        await store.create(dataplane("m", "dp-2"));
        await eventually(() => expect(kept).toHaveLength(2));
        await sleep(50);
        expect(dropped).toHaveLength(1);
      });

      // Only engines whose backend several stores share (not memory) can have peers.
      if (options.sharedBackend)
        it("reports changes made through another store on the same backend", async () => {
          const store = await fresh();
          const peer = await peerOf(store);
          const events = await collect(peer);
          const m = await store.create(mesh("m"));
          await eventually(() => expect(events).toHaveLength(1));
          expect(events[0]).toEqual({
            kind: "created",
            type: "Mesh",
            mesh: "m",
            name: "m",
            version: m.version,
          });
          expect((await peer.get(MeshType, undefined, "m"))?.version).toBe(m.version);
        });
    });

    describe("ping and close", () => {
      it("answers ping while open, and refuses work with StoreUnavailableError once closed", async () => {
        const fixture = await open();
        await fixture.store.ping();
        await fixture.store.close();
        await expect(fixture.store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(fixture.store.get(MeshType, undefined, "m")).rejects.toBeInstanceOf(
          StoreUnavailableError,
        );
        await expect(fixture.store.create(mesh("m"))).rejects.toBeInstanceOf(StoreUnavailableError);
        await expect(fixture.store.put(mesh("m"))).rejects.toBeInstanceOf(StoreUnavailableError);
      });
    });
  });
}
