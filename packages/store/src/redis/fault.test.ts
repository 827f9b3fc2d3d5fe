import { DataplaneType, MeshType } from "@kuma-ts/model";
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ChangeEvent, ResourceStore } from "../contract.js";
import { StoreError, StoreUnavailableError } from "../errors.js";
import { dataplane, mesh } from "../test-support/resources.js";
import { createRedisStore } from "./store.js";

const TIMEOUT_MS = 400;
/** What "within the command timeout" may take on a busy 2-core CI machine: the timeout plus scheduling slack. */
const BOUND_MS = TIMEOUT_MS + 500;

interface Outcome {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly result: "answered" | "unavailable";
}

/** Workers that keep the store busy, recording when each operation started and ended and how. */
class Load {
  readonly outcomes: Outcome[] = [];
  private running = true;
  private readonly workers: Promise<void>[];

  constructor(store: ResourceStore, workers: number) {
    let n = 0;
    const operations = [
      () => store.get(MeshType, undefined, "m"),
      () => store.create(dataplane("m", `dp-${n++}`)),
      () => store.list(DataplaneType, "m", { size: 10 }),
      () => store.update(mesh("m")),
    ];
    this.workers = Array.from({ length: workers }, async (_, w) => {
      for (let i = w; this.running; i++) {
        const startedAt = Date.now();
        let result: Outcome["result"] = "answered";
        try {
          await operations[i % operations.length]!();
        } catch (error) {
          // Typed answers (not found, mesh gone after a restart) are answers; anything untyped is a bug.
          if (!(error instanceof StoreError)) throw error;
          if (error instanceof StoreUnavailableError) result = "unavailable";
        }
        this.outcomes.push({ startedAt, endedAt: Date.now(), result });
        // Without a pause, failing-fast workers would spin.
        if (result === "unavailable") await new Promise((resolve) => setTimeout(resolve, 20));
      }
    });
  }

  /** Stops the workers; resolves when every operation has settled (a hung one would time the test out). */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  since(time: number): Outcome[] {
    return this.outcomes.filter((o) => o.startedAt >= time);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe("the Redis store when Redis fails under load", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  async function expectOutageHandled(
    store: ResourceStore,
    load: Load,
    fail: () => Promise<void> | void,
    recover: () => Promise<void> | void,
  ): Promise<void> {
    await vi.waitFor(
      () => expect(load.outcomes.filter((o) => o.result === "answered").length).toBeGreaterThan(20),
      { timeout: 10_000 },
    );
    const failedAt = Date.now();
    await fail();
    await sleep(1500);
    const during = load.outcomes.filter((o) => o.endedAt > failedAt + 100);
    // Every operation in flight when Redis went away, or started since, failed with Unavailable in time.
    expect(during.length).toBeGreaterThan(10);
    for (const outcome of during) expect(outcome.result).toBe("unavailable");
    // None took longer than the command timeout (and some slack), not even those in flight at the failure.
    const slowest = Math.max(...load.outcomes.map((o) => o.endedAt - o.startedAt));
    expect(slowest).toBeLessThanOrEqual(BOUND_MS);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await recover();
    const recoveredAt = Date.now();
    await vi.waitFor(() => store.ping(), { timeout: 10_000, interval: 100 });
    if (!(await store.get(MeshType, undefined, "m"))) await store.create(mesh("m"));
    await vi.waitFor(
      () =>
        expect(
          load.since(Date.now() - 200).filter((o) => o.result === "answered").length,
        ).toBeGreaterThan(20),
      {
        timeout: 10_000,
      },
    );
    expect(Date.now() - recoveredAt).toBeLessThan(10_000);
    const slowestOverall = Math.max(...load.outcomes.map((o) => o.endedAt - o.startedAt));
    expect(slowestOverall).toBeLessThanOrEqual(BOUND_MS);
  }

  it("fails with Unavailable within the command timeout while Redis is down, and recovers with the same store once it is back", async () => {
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: "crash",
      commandTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: TIMEOUT_MS,
    });
    const events: ChangeEvent[] = [];
    try {
      await store.create(mesh("m"));
      await store.watch((event) => events.push(event));
      const load = new Load(store, 8);
      try {
        await expectOutageHandled(
          store,
          load,
          () => redis.kill(),
          () => redis.restart(),
        );
      } finally {
        await load.stop();
      }
      // The change feed subscribes again by itself (its connection may come back a little after the main one).
      let attempt = 0;
      await vi.waitFor(
        async () => {
          await store.create(dataplane("m", `after-restart-${++attempt}`));
          await sleep(100);
          expect(events.some((e) => e.name.startsWith("after-restart-"))).toBe(true);
        },
        { timeout: 10_000, interval: 100 },
      );
    } finally {
      await store.close();
    }
  });

  it("never leaves a promise hanging while Redis stops answering, and recovers when it answers again", async () => {
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: "pause",
      commandTimeoutMs: TIMEOUT_MS,
      connectTimeoutMs: TIMEOUT_MS,
    });
    try {
      await store.create(mesh("m"));
      const load = new Load(store, 8);
      try {
        await expectOutageHandled(
          store,
          load,
          () => redis.pause(),
          () => redis.resume(),
        );
      } finally {
        redis.resume();
        await load.stop();
      }
    } finally {
      await store.close();
    }
  });
});
