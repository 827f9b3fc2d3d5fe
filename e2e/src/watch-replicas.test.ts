/**
 * Watches across replicas (watch.md §4): three kuma-cp processes on one
 * Redis (standalone, then a 3-master Cluster). A watcher on every replica
 * receives every write made through any replica exactly once, in the order
 * of the writes of its mesh; a watcher whose replica is killed (SIGKILL)
 * resumes on another with its last event id and misses nothing; a Redis
 * outage ends the streams, and the resume after it has no gap.
 */
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFigures, sleep } from "./support/figures.js";
import { apiClient, type ApiClient } from "./support/http.js";
import { startKumaCp, startReplicas, stopAll, type KumaCp } from "./support/kuma-cp.js";
import {
  standaloneBackend,
  startRedisBackend,
  uniquePrefix,
  type BackendKind,
  type RedisBackend,
} from "./support/redis-backends.js";
import { meshBody, trafficRouteBody } from "./support/resources.js";
import { changesOf, openWatch, type WatchEvent, type WatchStream } from "./support/watch-stream.js";

const REPLICAS = 3;
const MESHES = ["watch-a", "watch-b"];
const WRITES = 1000;
/** Concurrent writers; each owns one route name and writes increasing weights to it. */
const WRITERS = 10;

/** `<name>:<weight>` of each change, the write it reports. */
const writesOf = (events: readonly WatchEvent[]): string[] =>
  changesOf(events).map((e) => `${e.data.name}:${e.data.resource.conf[0].weight}`);

/** Checks one watcher's changes of one mesh: exactly `expected` (a set), each once, versions increasing, per name in order. */
function expectExactlyInOrder(
  events: readonly WatchEvent[],
  expected: ReadonlySet<string>,
  label: string,
): void {
  const seen = writesOf(events);
  expect(seen.length, label).toBe(expected.size);
  expect(new Set(seen), label).toEqual(expected);
  const versions = changesOf(events).map((e) => BigInt(e.data.version));
  for (let i = 1; i < versions.length; i++) {
    if (!(versions[i]! > versions[i - 1]!))
      throw new Error(`${label}: versions out of order at ${i}`);
  }
  const lastWeight = new Map<string, number>();
  for (const write of seen) {
    const [name, weight] = write.split(":") as [string, string];
    expect(Number(weight), `${label}: ${write} after ${lastWeight.get(name)}`).toBeGreaterThan(
      lastWeight.get(name) ?? 0,
    );
    lastWeight.set(name, Number(weight));
  }
}

describe.each<BackendKind>(["standalone", "cluster"])(
  "watches on three replicas over %s Redis",
  (kind) => {
    let backend: RedisBackend;
    let prefix = "";
    let replicas: KumaCp[] = [];
    let apis: ApiClient[] = [];
    const extra: KumaCp[] = [];
    const streams: WatchStream[] = [];

    beforeAll(async () => {
      backend = await startRedisBackend(kind);
      prefix = uniquePrefix("watch");
      replicas = await startReplicas(REPLICAS, backend.env(prefix), `watch-${kind}`);
      apis = replicas.map((replica) => apiClient(replica.apiUrl));
      for (const mesh of MESHES)
        expect((await apis[0]!.put(`/meshes/${mesh}`, meshBody(mesh))).status).toBe(201);
    }, 120_000);

    afterAll(async () => {
      for (const stream of streams) stream.close();
      const statuses = await stopAll(
        [...replicas, ...extra].filter((r) => r.exitStatus() === undefined),
      );
      await backend?.stop();
      expect(statuses.every((status) => status.code === 0)).toBe(true);
    }, 60_000);

    it("delivers 1,000 writes spread over the replicas to a watcher on each replica, each exactly once, in per-mesh order", async () => {
      const watchers = new Map<string, WatchStream>();
      for (const [r, replica] of replicas.entries()) {
        for (const mesh of MESHES) {
          const stream = await openWatch(
            `${replica.apiUrl}/meshes/${mesh}/traffic-routes?watch=true`,
          );
          expect(stream.status).toBe(200);
          streams.push(stream);
          watchers.set(`${r}/${mesh}`, stream);
        }
      }
      for (const stream of watchers.values())
        await stream.waitFor((events) => events.some((e) => e.event === "synced"));

      const acknowledged = new Map<string, Set<string>>(MESHES.map((mesh) => [mesh, new Set()]));
      let next = 0;
      await Promise.all(
        Array.from({ length: WRITERS }, async (_, w) => {
          let weight = 0;
          while (next < WRITES) {
            const n = next++;
            const mesh = MESHES[n % MESHES.length] as string;
            const name = `route-${w}`;
            weight++;
            const answer = await apis[n % REPLICAS]!.put(
              `/meshes/${mesh}/traffic-routes/${name}`,
              trafficRouteBody(mesh, name, weight),
            );
            if (answer.status === 200 || answer.status === 201)
              acknowledged.get(mesh)?.add(`${name}:${weight}`);
          }
        }),
      );
      const total = [...acknowledged.values()].reduce((sum, set) => sum + set.size, 0);
      expect(total).toBe(WRITES);
      for (const [key, stream] of watchers) {
        const mesh = key.split("/")[1] as string;
        const expected = acknowledged.get(mesh) as Set<string>;
        await stream.waitFor((events) => changesOf(events).length >= expected.size, 30_000);
        await sleep(200);
        expectExactlyInOrder(stream.events, expected, `${kind} watcher ${key}`);
      }
    }, 120_000);

    it("resumes on another replica after its own is killed with SIGKILL, with no gap and no duplicate", async () => {
      const mesh = MESHES[0] as string;
      const victim = await startKumaCp({ name: `watch-${kind}-victim`, env: backend.env(prefix) });
      extra.push(victim);
      const first = await openWatch(`${victim.apiUrl}/meshes/${mesh}/events`);
      streams.push(first);
      await first.waitFor((events) => events.some((e) => e.event === "synced"));
      const before = new Set<string>();
      for (let i = 1; i <= 20; i++) {
        await apis[i % REPLICAS]!.put(
          `/meshes/${mesh}/traffic-routes/kill`,
          trafficRouteBody(mesh, "kill", i),
        );
        before.add(`kill:${i}`);
      }
      await first.waitFor((events) => changesOf(events).length >= 20);
      // Cut off in the middle of a burst: what it saw last is where it resumes.
      const during = (async () => {
        for (let i = 21; i <= 60; i++) {
          await apis[i % REPLICAS]!.put(
            `/meshes/${mesh}/traffic-routes/kill`,
            trafficRouteBody(mesh, "kill", i),
          );
        }
      })();
      await sleep(30);
      victim.kill("SIGKILL");
      await first.ended;
      await during;
      const seenBefore = writesOf(first.events);
      const resumed = await openWatch(`${replicas[2]!.apiUrl}/meshes/${mesh}/events`, {
        "Last-Event-ID": first.lastId() as string,
      });
      streams.push(resumed);
      expect(resumed.status).toBe(200);
      const expected = 60 - seenBefore.length;
      await resumed.waitFor((events) => changesOf(events).length >= expected, 15_000);
      await sleep(200);
      expect(resumed.events.some((e) => e.event === "snapshot" || e.event === "reset")).toBe(false);
      expect([...seenBefore, ...writesOf(resumed.events)]).toEqual(
        Array.from({ length: 60 }, (_, i) => `kill:${i + 1}`),
      );
    }, 60_000);
  },
);

describe("watches through a Redis outage", () => {
  let redis: RedisServer;
  let replicas: KumaCp[] = [];
  let apis: ApiClient[] = [];

  beforeAll(async () => {
    redis = await startRedisServer({ args: ["--appendonly", "yes", "--appendfsync", "always"] });
    const env = {
      ...standaloneBackend(redis).env(uniquePrefix("watch-outage")),
      // Short enough that the outage ends streams quickly, long enough that a loaded machine's
      // slow answers before it are not taken for one.
      KUMA_STORE_REDIS_COMMAND_TIMEOUT: "2s",
    };
    replicas = await startReplicas(2, env, "watch-outage");
    apis = replicas.map((replica) => apiClient(replica.apiUrl));
    expect((await apis[0]!.put("/meshes/outage", meshBody("outage"))).status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    const statuses = await stopAll(replicas);
    await redis?.stop();
    expect(statuses.every((status) => status.code === 0)).toBe(true);
  }, 60_000);

  it("ends the streams, answers a new watch 503 while Redis is away, and resumes after recovery with no gap", async () => {
    const stream = await openWatch(
      `${replicas[0]!.apiUrl}/meshes/outage/traffic-routes?watch=true`,
    );
    await stream.waitFor((events) => events.some((e) => e.event === "synced"));
    const acknowledged: string[] = [];
    for (let i = 1; i <= 10; i++) {
      const answer = await apis[i % 2]!.put(
        "/meshes/outage/traffic-routes/r",
        trafficRouteBody("outage", "r", i),
      );
      if (answer.status < 300) acknowledged.push(`r:${i}`);
    }
    expect(acknowledged.length).toBeGreaterThan(0);
    await stream.waitFor((events) => changesOf(events).length >= acknowledged.length, 20_000);
    expect(stream.isEnded()).toBe(false);
    const downAt = performance.now();
    redis.pause();
    try {
      await Promise.race([stream.ended, sleep(10_000)]);
      expect(stream.isEnded()).toBe(true);
      const endedAfterMs = performance.now() - downAt;
      const refused = await openWatch(
        `${replicas[1]!.apiUrl}/meshes/outage/traffic-routes?watch=true`,
      );
      expect(refused.status).toBe(503);
      refused.close();
      reportFigures("watch outage", { "stream ended after (ms)": Math.round(endedAfterMs) });
    } finally {
      redis.resume();
    }
    // Writes after recovery (the first ones may still fail while the replicas reconnect).
    for (let i = 11; i <= 30; i++) {
      const answer = await apis[i % 2]!.put(
        "/meshes/outage/traffic-routes/r",
        trafficRouteBody("outage", "r", i),
      );
      if (answer.status < 300) acknowledged.push(`r:${i}`);
      else await sleep(100);
    }
    let resumed: WatchStream | undefined;
    for (let attempt = 0; attempt < 50 && resumed?.status !== 200; attempt++) {
      resumed?.close();
      resumed = await openWatch(`${replicas[1]!.apiUrl}/meshes/outage/traffic-routes?watch=true`, {
        "Last-Event-ID": stream.lastId() as string,
      });
      if (resumed.status !== 200) await sleep(200);
    }
    const after = resumed as WatchStream;
    const missing = acknowledged.length - writesOf(stream.events).length;
    await after.waitFor((events) => changesOf(events).length >= missing, 15_000);
    await sleep(200);
    expect(after.events.some((e) => e.event === "reset" || e.event === "snapshot")).toBe(false);
    expect([...writesOf(stream.events), ...writesOf(after.events)]).toEqual(acknowledged);
    after.close();
  }, 90_000);
});
