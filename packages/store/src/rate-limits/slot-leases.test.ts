import { describe, expect, it } from "vitest";
import { createRedisStore } from "../redis/store.js";
import { scanKeys, uniquePrefix } from "../test-support/redis.js";
import { useStoreBackends } from "../test-support/store-backends.js";
import { createMemorySlotLeases } from "./memory-leases.js";

const { backends, redis } = useStoreBackends("slots");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)("slot leases on the $name store", (backend) => {
  it("hand out at most max slots per key, to every replica together; a release frees one", async () => {
    const { store: a, peer } = backend.open();
    const b = peer();
    const leases = [a.slotLeases, b.slotLeases];
    expect(await leases[0]!.acquire("watch:user:alice", "h1", 2, 30_000)).toBe(true);
    expect(await leases[1]!.acquire("watch:user:alice", "h2", 2, 30_000)).toBe(true);
    expect(await leases[0]!.acquire("watch:user:alice", "h3", 2, 30_000)).toBe(false);
    expect(await leases[1]!.acquire("watch:user:alice", "h3", 2, 30_000)).toBe(false);
    // A holder that has a slot keeps it; other keys count apart.
    expect(await leases[1]!.acquire("watch:user:alice", "h1", 2, 30_000)).toBe(true);
    expect(await leases[0]!.acquire("watch:user:bob", "h3", 2, 30_000)).toBe(true);
    await leases[1]!.release("watch:user:alice", "h1");
    await leases[1]!.release("watch:user:alice", "unknown");
    expect(await leases[0]!.acquire("watch:user:alice", "h3", 2, 30_000)).toBe(true);
    expect(await leases[0]!.acquire("watch:user:alice", "h4", 2, 30_000)).toBe(false);
  });

  it("let an unrenewed lease expire after its ttl, and keep a renewed one", async () => {
    const { store: a, peer } = backend.open();
    const b = peer();
    const ttl = 1000;
    expect(await a.slotLeases.acquire("k", "kept", 2, ttl)).toBe(true);
    expect(await a.slotLeases.acquire("k", "dropped", 2, ttl)).toBe(true);
    expect(await b.slotLeases.acquire("k", "other", 2, ttl)).toBe(false);
    // "kept" is renewed every 200 ms; "dropped" is not, and its slot comes free.
    let admitted = false;
    for (let i = 0; i < 50 && !admitted; i++) {
      await sleep(200);
      await a.slotLeases.renew("k", ["kept"], ttl);
      admitted = await b.slotLeases.acquire("k", "other", 2, ttl);
    }
    expect(admitted).toBe(true);
    // Both slots are held again: by "kept" (renewed) and "other".
    for (let i = 0; i < 8; i++) {
      await sleep(200);
      await a.slotLeases.renew("k", ["kept"], ttl);
      await b.slotLeases.renew("k", ["other"], ttl);
      expect(await b.slotLeases.acquire("k", "late", 2, ttl)).toBe(false);
    }
  }, 30_000);

  it("never hand out more than max slots to concurrent acquires from two replicas", async () => {
    const { store: a, peer } = backend.open();
    const b = peer();
    const attempts = Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? a : b).slotLeases.acquire("race", `h${i}`, 3, 30_000),
    );
    const granted = (await Promise.all(attempts)).filter(Boolean);
    expect(granted).toHaveLength(3);
  });
});

describe("slot leases on Redis", () => {
  it("keep one sorted set per key that expires with its last lease", async () => {
    const keyPrefix = uniquePrefix("slots");
    const store = createRedisStore({ url: redis().url, keyPrefix });
    try {
      await store.slotLeases.acquire("watch:ip:203.0.113.7", "h1", 2, 800);
      const node = [{ host: "127.0.0.1", port: Number(new URL(redis().url).port) }];
      expect(await scanKeys(node, `${keyPrefix}:*`)).toEqual([
        `${keyPrefix}:slots:watch:ip:203.0.113.7`,
      ]);
      let left = 1;
      for (let i = 0; i < 50 && left > 0; i++) {
        await sleep(100);
        left = (await scanKeys(node, `${keyPrefix}:*`)).length;
      }
      expect(left).toBe(0);
    } finally {
      await store.close();
    }
  }, 15_000);
});

describe("memory slot leases", () => {
  it("expire exactly at their ttl, renewals counted from the renewal", async () => {
    let now = 0;
    const leases = createMemorySlotLeases(() => now);
    expect(await leases.acquire("k", "a", 1, 100)).toBe(true);
    now = 99;
    expect(await leases.acquire("k", "b", 1, 100)).toBe(false);
    await leases.renew("k", ["a"], 100);
    now = 198;
    expect(await leases.acquire("k", "b", 1, 100)).toBe(false);
    now = 199;
    expect(await leases.acquire("k", "b", 1, 100)).toBe(true);
    // A lapsed holder's renewal takes its slot again, beyond max: it is still open.
    await leases.renew("k", ["a"], 100);
    expect(await leases.acquire("k", "c", 2, 100)).toBe(false);
    await leases.release("k", "a");
    expect(await leases.acquire("k", "c", 2, 100)).toBe(true);
  });
});
