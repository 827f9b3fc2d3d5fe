import { encodeResource } from "@kuma-ts/model";
import { afterEach, describe, expect, it, vi } from "vitest";
import { canonicalStoredResource, stampResource } from "./stored-resource.js";
import { dataplane, type Dataplane } from "./test-support/resources.js";

describe("stampResource and canonicalStoredResource", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("stamps the canonical text with the store's timestamps", () => {
    const json = stampResource(
      { ...dataplane("m", "dp-1"), creationTime: "2001-01-01T00:00:00Z" },
      "2020-01-01T00:00:00.001Z",
      "2020-01-01T00:00:00.002Z",
    );
    expect(json).toBe(
      encodeResource({
        ...dataplane("m", "dp-1"),
        creationTime: "2020-01-01T00:00:00.001Z",
        modificationTime: "2020-01-01T00:00:00.002Z",
      }),
    );
  });

  it("parses the resource only when asked, once, into a frozen canonical object", () => {
    const json = stampResource(
      dataplane("m", "dp-1"),
      "2020-01-01T00:00:00Z",
      "2020-01-01T00:00:00Z",
    );
    const parse = vi.spyOn(JSON, "parse");
    const stored = canonicalStoredResource<Dataplane>("7", json);
    expect(stored.version).toBe("7");
    expect(Object.keys(stored).sort()).toEqual(["json", "resource", "version"]);
    expect(stored.json).toBe(json);
    expect(parse).not.toHaveBeenCalled();
    const resource = stored.resource;
    expect(parse).toHaveBeenCalledTimes(1);
    expect(stored.resource).toBe(resource);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(encodeResource(resource)).toBe(json);
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(resource.networking?.inbound?.[0]?.tags)).toBe(true);
    expect(() => {
      (stored as { version: string }).version = "8";
    }).toThrow(TypeError);
  });
});
