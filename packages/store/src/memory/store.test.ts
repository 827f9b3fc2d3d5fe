import { DataplaneType } from "@kuma-ts/model";
import { describe, expect, it, vi } from "vitest";
import { encodeCursor } from "../cursor.js";
import { describeStoreContract } from "../test-support/contract-suite.js";
import { describeHistoryContract } from "../test-support/history-suite.js";
import { dataplane, mesh } from "../test-support/resources.js";
import { createMemoryStore } from "./store.js";

describeStoreContract("memory", async () => ({ store: createMemoryStore() }), {
  sharedBackend: false,
});

describeHistoryContract("memory", async (options) => ({ store: createMemoryStore(options) }));

describe("the memory store", () => {
  it("stamps resources with its injected clock", async () => {
    const store = createMemoryStore({ now: () => new Date("2024-02-03T04:05:06.789Z") });
    const created = await store.create(mesh("m"));
    expect(created.resource.creationTime).toBe("2024-02-03T04:05:06.789Z");
  });

  it("serves a page of 100 from 100,000 dataplanes touching only that page, without sorting", async () => {
    const store = createMemoryStore();
    const touchedByPage = async (offset: string | undefined): Promise<number> => {
      // The list runs synchronously to its end, so these spies see only its own work.
      const gets = vi.spyOn(Map.prototype, "get");
      const sorts = vi.spyOn(Array.prototype, "sort");
      try {
        const page = await store.list(DataplaneType, "m", { size: 100, offset });
        expect(page.items).toHaveLength(100);
        expect(sorts).not.toHaveBeenCalled();
        return gets.mock.calls.length;
      } finally {
        gets.mockRestore();
        sorts.mockRestore();
      }
    };
    await store.create(mesh("m"));
    for (let i = 0; i < 1000; i++) await store.create(dataplane("m", `dp-${i}`));
    const small = await touchedByPage(encodeCursor("dp-5"));
    for (let i = 1000; i < 100_000; i++) await store.create(dataplane("m", `dp-${i}`));
    const large = await touchedByPage(encodeCursor("dp-5"));
    expect(small).toBeLessThanOrEqual(100 + 5);
    expect(large).toBe(small);
    const page = await store.list(DataplaneType, "m", { size: 100 });
    expect(page.total).toBe(100_000);
    const next = await store.list(DataplaneType, "m", { size: 100, offset: page.nextOffset });
    expect(next.items[0]?.resource.name).toBe("dp-10087");
  });
});
