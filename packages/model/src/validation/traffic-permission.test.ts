import { describe, expect, it } from "vitest";
import { TrafficPermissionType } from "../registry.js";
import { decodeSpec } from "./test-support/resources.js";
import { validateTrafficPermission } from "./traffic-permission.js";

const causesOf = (spec: Record<string, unknown>) => validateTrafficPermission(decodeSpec(TrafficPermissionType, spec));

describe("validateTrafficPermission", () => {
  it("accepts a permission between two services", () => {
    expect(
      causesOf({ sources: [{ match: { service: "web" } }], destinations: [{ match: { service: "backend" } }] }),
    ).toEqual([]);
  });

  it("requires sources and destinations", () => {
    expect(causesOf({})).toEqual([
      { field: "sources", message: "must have at least one element" },
      { field: "destinations", message: "must have at least one element" },
    ]);
  });

  it("allows only the service tag in sources as well as destinations", () => {
    expect(
      causesOf({
        sources: [{ match: {} }],
        destinations: [{ match: { service: "backend", version: "v1" } }],
      }),
    ).toEqual([
      { field: "sources[0].match", message: 'must consist of exactly one tag "service"' },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
      { field: "destinations[0].match", message: 'must consist of exactly one tag "service"' },
      { field: 'destinations[0].match["version"]', message: 'tag "version" is not allowed' },
    ]);
  });

  it("flags an empty service value", () => {
    expect(causesOf({ sources: [{ match: { service: "" } }], destinations: [{ match: { service: "*" } }] })).toEqual([
      { field: 'sources[0].match["service"]', message: "tag value must be non-empty" },
    ]);
  });
});
