import { DataplaneType, meshScopedTypes } from "@kuma-ts/model";
import { describe, expect, it } from "vitest";
import { RedisKeys } from "./keys.js";

describe("the Redis key layout", () => {
  const keys = new RedisKeys("kuma");

  it("tags every key of a mesh with {prefix:mesh}", () => {
    expect(keys.mesh("default")).toBe("{kuma:default}:mesh");
    expect(keys.version("default")).toBe("{kuma:default}:version");
    expect(keys.items("default", DataplaneType)).toBe("{kuma:default}:Dataplane");
    expect(keys.names("default", DataplaneType)).toBe("{kuma:default}:Dataplane:names");
    expect(keys.changes("default")).toBe("{kuma:default}:changes");
    const all = keys.allOfMesh("default");
    expect(all).toHaveLength(3 + 2 * meshScopedTypes.length);
    for (const key of all) expect(key.startsWith("{kuma:default}:")).toBe(true);
    expect(new Set(all).size).toBe(all.length);
  });

  it("keeps the mesh index and the event channel under the prefix's own tag", () => {
    expect(keys.meshIndex).toBe("{kuma}:meshes");
    expect(keys.channel).toBe("{kuma}:events");
    expect(keys.meshChanges).toBe("{kuma}:meshes:changes");
    expect(keys.storeId).toBe("{kuma}:id");
  });

  it("never gives two prefixes or meshes the same key", () => {
    const a = new RedisKeys("a");
    const ab = new RedisKeys("a-b");
    expect(a.mesh("b")).not.toBe(ab.meshIndex);
    expect(a.allOfMesh("b-c")).not.toEqual(expect.arrayContaining(ab.allOfMesh("c")));
  });

  it("refuses prefixes that could break a hash tag or a key", () => {
    for (const prefix of ["", "a:b", "a{", "}", "a b", "ä", "x".repeat(65)]) {
      expect(() => new RedisKeys(prefix), prefix).toThrow(TypeError);
    }
    expect(new RedisKeys("cp-1.prod_A").prefix).toBe("cp-1.prod_A");
  });
});
