import { DataplaneType, MeshType } from "@kuma-ts/model";
import { describe, expect, it } from "vitest";
import { describeStoreContract } from "../test-support/contract-suite.js";
import { dataplane, mesh } from "../test-support/resources.js";
import { createMemoryStore } from "./store.js";

describeStoreContract("memory", async () => ({ store: createMemoryStore() }), {
  sharedBackend: false,
});

describe("the memory store", () => {
  it("stamps resources with its injected clock", async () => {
    const store = createMemoryStore({ now: () => new Date("2024-02-03T04:05:06.789Z") });
    const created = await store.create(mesh("m"));
    expect(created.resource.creationTime).toBe("2024-02-03T04:05:06.789Z");
  });

  it("serves a page of 100 from a mesh of 100,000 dataplanes", async () => {
    const store = createMemoryStore();
    await store.create(mesh("m"));
    for (let i = 0; i < 100_000; i++) await store.create(dataplane("m", `dp-${i}`));
    const page = await store.list(DataplaneType, "m", { size: 100 });
    expect(page.total).toBe(100_000);
    const next = await store.list(DataplaneType, "m", { size: 100, offset: page.nextOffset });
    expect(next.items[0]?.resource.name).toBe("dp-10087");
    expect(await store.get(MeshType, undefined, "m")).toBeDefined();
  });
});
