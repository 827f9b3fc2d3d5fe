import { describe, expect, it } from "vitest";
import { useStoreBackends } from "../test-support/store-backends.js";
import { createMemoryTokenBuckets } from "./memory.js";

const { backends } = useStoreBackends("rl");

describe.each(backends)("token buckets on the $name store", (backend) => {
  it("allows a burst, then refuses with the time until the next token, one budget for every replica", async () => {
    const { store: a, peer } = backend.open();
    const b = peer();
    const limits = { perSecond: 1, burst: 3 };
    const takes = [];
    for (let i = 0; i < 3; i++)
      takes.push(await (i % 2 ? b : a).tokenBuckets.take("user:alice", limits));
    expect(takes.map((t) => t.allowed)).toEqual([true, true, true]);
    expect(takes.map((t) => t.remaining)).toEqual([2, 1, 0]);
    const refused = await b.tokenBuckets.take("user:alice", limits);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    // Other keys have budgets of their own.
    expect((await a.tokenBuckets.take("user:bob", limits)).allowed).toBe(true);
  });
});

describe("memory token buckets", () => {
  it("refill at the rate, up to the burst", async () => {
    let now = 0;
    const buckets = createMemoryTokenBuckets(() => now);
    const limits = { perSecond: 10, burst: 2 };
    expect((await buckets.take("k", limits)).allowed).toBe(true);
    expect((await buckets.take("k", limits)).allowed).toBe(true);
    const refused = await buckets.take("k", limits);
    expect(refused).toEqual({ allowed: false, remaining: 0, retryAfterMs: 100 });
    now += 100;
    expect((await buckets.take("k", limits)).allowed).toBe(true);
    now += 10_000;
    expect((await buckets.take("k", limits)).remaining).toBe(1);
  });
});
