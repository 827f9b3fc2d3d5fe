/**
 * The history part of the store contract (resumable watches, spec/watch.md):
 * every engine appends each change to its mesh's history (and a Mesh's to
 * the meshes' history) atomically with the write, and answers exactly the
 * changes after a token, or a reset when they are gone.
 */
import { DataplaneType, MeshType } from "@kuma-ts/model";
import { afterEach, describe, expect, it } from "vitest";
import type { HistoryEntry, HistoryRead, ResourceStore } from "../contract.js";
import { InvalidResumeTokenError } from "../errors.js";
import { compareResumeTokens, isResumeToken } from "../history.js";
import { dataplane, mesh, trafficRoute } from "./resources.js";

/** A store of the engine with the given history length, and how to open another over its backend. */
export interface HistoryFixture {
  readonly store: ResourceStore;
  readonly openPeer?: () => Promise<ResourceStore>;
}

/** The engine options the suite sets. */
interface HistoryOptions {
  readonly watchHistory?: number;
  readonly deletedMeshHistoryMs?: number;
}

type Open = (options: HistoryOptions) => Promise<HistoryFixture>;

/** Every change after `token`, read `limit` at a time. */
async function readAll(
  store: ResourceStore,
  mesh: string | undefined,
  token: string,
  limit = 1000,
): Promise<HistoryEntry[]> {
  const all: HistoryEntry[] = [];
  let after = token;
  for (;;) {
    const read = await store.readHistory(mesh, after, limit);
    if (read.status !== "ok") throw new Error(`unexpected reset: ${read.reason}`);
    all.push(...read.entries);
    const last = read.entries[read.entries.length - 1];
    if (last) after = last.token;
    if (!read.more) return all;
  }
}

const summary = (entries: readonly HistoryEntry[]) =>
  entries.map((entry) => `${entry.kind} ${entry.type} ${entry.mesh}/${entry.name}`);

/** Runs the history contract against the stores `open` makes. */
export function describeHistoryContract(engine: string, open: Open): void {
  describe(`the ${engine} store's change history`, () => {
    const opened: ResourceStore[] = [];
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((store) => store.close()));
    });

    async function fresh(options: HistoryOptions = {}): Promise<HistoryFixture> {
      const fixture = await open(options);
      opened.push(fixture.store);
      return {
        store: fixture.store,
        ...(fixture.openPeer
          ? {
              openPeer: async () => {
                const peer = await (fixture.openPeer as () => Promise<ResourceStore>)();
                opened.push(peer);
                return peer;
              },
            }
          : {}),
      };
    }

    it("records every write of a mesh, in order, with the JSON written and a token after each", async () => {
      const { store } = await fresh();
      const start = await store.historyToken("m");
      expect(isResumeToken(start)).toBe(true);
      const created = await store.create(mesh("m"));
      const dp = await store.create(dataplane("m", "dp-1"));
      const updated = await store.update(dataplane("m", "dp-1", { v: "2" }));
      const put = await store.put(trafficRoute("m", "route"));
      await store.delete(DataplaneType, "m", "dp-1");
      const entries = await readAll(store, "m", start);
      expect(summary(entries)).toEqual([
        "created Mesh m/m",
        "created Dataplane m/dp-1",
        "updated Dataplane m/dp-1",
        "created TrafficRoute m/route",
        "deleted Dataplane m/dp-1",
      ]);
      expect(entries.map((entry) => entry.json)).toEqual([
        created.json,
        dp.json,
        updated.json,
        put.stored.json,
        undefined,
      ]);
      expect(entries.map((entry) => entry.version)).toEqual([
        created.version,
        dp.version,
        updated.version,
        put.stored.version,
        updated.version,
      ]);
      for (let i = 1; i < entries.length; i++) {
        expect(compareResumeTokens(entries[i - 1]!.token, entries[i]!.token)).toBeLessThan(0);
      }
      // From any token, exactly the changes after it.
      for (let i = 0; i < entries.length; i++) {
        expect(await readAll(store, "m", entries[i]!.token)).toEqual(entries.slice(i + 1));
      }
      expect(await store.historyToken("m")).toBe(entries[entries.length - 1]!.token);
    });

    it("records nothing for a write that failed", async () => {
      const { store } = await fresh();
      await store.create(mesh("m"));
      await store.create(dataplane("m", "dp-1"));
      const token = await store.historyToken("m");
      await expect(store.create(dataplane("m", "dp-1"))).rejects.toThrow();
      await expect(store.update(dataplane("m", "dp-1"), { expectVersion: "0" })).rejects.toThrow();
      await expect(store.delete(DataplaneType, "m", "nope")).rejects.toThrow();
      await expect(store.create(dataplane("other", "dp-1"))).rejects.toThrow();
      expect(await readAll(store, "m", token)).toEqual([]);
      expect(await store.historyToken("m")).toBe(token);
    });

    it("keeps the changes of Meshes in the meshes' history, and a mesh's own in its history", async () => {
      const { store } = await fresh();
      const meshes = await store.historyToken(undefined);
      const ofA = await store.historyToken("a");
      await store.create(mesh("a"));
      await store.create(mesh("b"));
      await store.create(dataplane("a", "dp-1"));
      await store.put(mesh("a", true));
      await store.update(mesh("b", true));
      await store.delete(MeshType, undefined, "b");
      const all = await readAll(store, undefined, meshes);
      expect(summary(all)).toEqual([
        "created Mesh a/a",
        "created Mesh b/b",
        "updated Mesh a/a",
        "updated Mesh b/b",
        "deleted Mesh b/b",
      ]);
      expect(all[2]?.json).toBe((await store.get(MeshType, undefined, "a"))?.json);
      expect(summary(await readAll(store, "a", ofA))).toEqual([
        "created Mesh a/a",
        "created Dataplane a/dp-1",
        "updated Mesh a/a",
      ]);
    });

    it("records a mesh deletion as a deletion of each resource, then of the Mesh, and keeps the history", async () => {
      const { store } = await fresh();
      await store.create(mesh("m"));
      await store.create(dataplane("m", "dp-2"));
      await store.create(dataplane("m", "dp-1"));
      await store.create(trafficRoute("m", "route"));
      const token = await store.historyToken("m");
      expect(await store.deleteMesh("m")).toBe(true);
      const entries = await readAll(store, "m", token);
      expect(summary(entries)).toEqual([
        "deleted Dataplane m/dp-1",
        "deleted Dataplane m/dp-2",
        "deleted TrafficRoute m/route",
        "deleted Mesh m/m",
      ]);
      await store.create(mesh("m"));
      expect(summary(await readAll(store, "m", entries[3]!.token))).toEqual(["created Mesh m/m"]);
    });

    it("keeps a deleted mesh's history for a while, then resets tokens from before its end, also once the mesh is back", async () => {
      const { store } = await fresh({ deletedMeshHistoryMs: 300 });
      await store.create(mesh("m"));
      await store.create(dataplane("m", "dp-1"));
      const before = await store.historyToken("m");
      await store.deleteMesh("m");
      expect(summary(await readAll(store, "m", before))).toEqual([
        "deleted Dataplane m/dp-1",
        "deleted Mesh m/m",
      ]);
      const deadline = Date.now() + 10_000;
      while ((await store.readHistory("m", before, 10)).status === "ok") {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await store.create(mesh("m"));
      // The deletions are gone: a watcher from before them must start again, not miss them.
      expect((await store.readHistory("m", before, 10)).status).toBe("reset");
      // A mesh created again keeps its history as long as it exists.
      const again = await store.historyToken("m");
      await new Promise((resolve) => setTimeout(resolve, 600));
      await store.create(dataplane("m", "dp-2"));
      expect(summary(await readAll(store, "m", again))).toEqual(["created Dataplane m/dp-2"]);
    });

    it("answers with a list the token of the moment it was read", async () => {
      const { store } = await fresh();
      await store.create(mesh("m"));
      await store.create(dataplane("m", "dp-1"));
      const page = await store.list(DataplaneType, "m", { size: 10, withToken: true });
      expect(page.token).toBe(await store.historyToken("m"));
      const meshes = await store.list(MeshType, undefined, { withToken: true });
      expect(meshes.token).toBe(await store.historyToken(undefined));
      const filtered = await store.list(DataplaneType, "m", {
        filter: () => true,
        withToken: true,
      });
      expect(filtered.token).toBe(page.token);
      expect((await store.list(DataplaneType, "m")).token).toBeUndefined();
      await store.create(dataplane("m", "dp-2"));
      expect(summary(await readAll(store, "m", page.token as string))).toEqual([
        "created Dataplane m/dp-2",
      ]);
      const empty = await store.list(DataplaneType, "nowhere", { withToken: true });
      expect(empty.items).toEqual([]);
      expect(await readAll(store, "nowhere", empty.token as string)).toEqual([]);
      await store.create(mesh("nowhere"));
      expect(summary(await readAll(store, "nowhere", empty.token as string))).toEqual([
        "created Mesh nowhere/nowhere",
      ]);
    });

    it("resumes exactly, with no gap and no duplicate, while several writers write", async () => {
      const { store, openPeer } = await fresh();
      const writers = openPeer
        ? [store, await openPeer(), await openPeer()]
        : [store, store, store];
      await store.create(mesh("m"));
      const start = await store.historyToken("m");
      const perWriter = 40;
      let done = false;
      const writing = Promise.all(
        writers.map(async (writer, w) => {
          for (let i = 0; i < perWriter; i++) {
            await writer.put(dataplane("m", `dp-${w}`, { i: String(i) }));
          }
        }),
      ).finally(() => {
        done = true;
      });
      // A reader that resumes from its last token, a few changes at a time, while they write.
      const seen: HistoryEntry[] = [];
      let after = start;
      for (;;) {
        const finished = done;
        const read: HistoryRead = await store.readHistory("m", after, 7);
        if (read.status !== "ok") throw new Error(read.reason);
        seen.push(...read.entries);
        after = read.entries[read.entries.length - 1]?.token ?? after;
        if (finished && !read.more) break;
      }
      await writing;
      expect(seen).toHaveLength(writers.length * perWriter);
      expect(new Set(seen.map((entry) => entry.token)).size).toBe(seen.length);
      expect(seen).toEqual(await readAll(store, "m", start));
      for (let w = 0; w < writers.length; w++) {
        const mine = seen.filter((entry) => entry.name === `dp-${w}`);
        expect(
          mine.map((entry) => JSON.parse(entry.json as string).networking.inbound[0].tags.i),
        ).toEqual(Array.from({ length: perWriter }, (_, i) => String(i)));
      }
      // The mesh's versions grow in the order of the history: the order of the writes.
      const versions = seen.map((entry) => BigInt(entry.version));
      for (let i = 1; i < versions.length; i++) expect(versions[i]! > versions[i - 1]!).toBe(true);
      if (openPeer) {
        // Another replica resumes from this one's token exactly as this one does.
        const peer = await openPeer();
        expect(await readAll(peer, "m", seen[59]!.token)).toEqual(seen.slice(60));
      }
    });

    it("answers a reset once the changes after a token are no longer retained, not before", async () => {
      const { store } = await fresh({ watchHistory: 10 });
      await store.create(mesh("m"));
      const old = await store.historyToken("m");
      // Redis trims approximately (whole stream nodes of 100 entries): write well past that.
      for (let i = 0; i < 250; i++) await store.put(dataplane("m", "dp-1", { i: String(i) }));
      const read = await store.readHistory("m", old, 10);
      expect(read).toEqual({
        status: "reset",
        reason: "the changes after the token are no longer retained",
      });
      const recent = await store.historyToken("m");
      await store.put(dataplane("m", "dp-1", { i: "last" }));
      expect(summary(await readAll(store, "m", recent))).toEqual(["updated Dataplane m/dp-1"]);
    });

    it("answers a reset for a token of another store or another history, and refuses a non-token", async () => {
      const { store } = await fresh();
      const { store: other } = await fresh();
      await store.create(mesh("m"));
      await other.create(mesh("m"));
      const foreign = await other.historyToken("m");
      expect(await store.readHistory("m", foreign, 10)).toMatchObject({ status: "reset" });
      const ofMesh = await store.historyToken("m");
      expect(await store.readHistory("n", ofMesh, 10)).toMatchObject({ status: "reset" });
      expect(await store.readHistory(undefined, ofMesh, 10)).toMatchObject({ status: "reset" });
      for (const text of ["", "abc", "x y", "a.m.1-2-3", "A.m.1"]) {
        expect(isResumeToken(text), text).toBe(false);
        await expect(store.readHistory("m", text, 10)).rejects.toBeInstanceOf(
          InvalidResumeTokenError,
        );
      }
    });
  });
}
