import { describe, expect, it } from "vitest";
import { TrafficLogType } from "../registry.js";
import { decodeSpec } from "./test-support/resources.js";
import { validateTrafficLog } from "./traffic-log.js";

const causesOf = (spec: Record<string, unknown>) => validateTrafficLog(decodeSpec(TrafficLogType, spec));

describe("validateTrafficLog", () => {
  it("accepts sources with several tags and no conf (the mesh's default backend)", () => {
    expect(
      causesOf({
        sources: [{ match: { service: "web", version: "1.0" } }],
        destinations: [{ match: { service: "backend" } }],
      }),
    ).toEqual([]);
  });

  it("requires sources and destinations", () => {
    expect(causesOf({ conf: { backend: "file" } })).toEqual([
      { field: "sources", message: "must have at least one element" },
      { field: "destinations", message: "must have at least one element" },
    ]);
  });

  it("requires tags and service in sources, and only service in destinations", () => {
    expect(causesOf({ sources: [{ match: {} }], destinations: [{ match: {} }] })).toEqual([
      { field: "sources[0].match", message: "must have at least one tag" },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
      { field: "destinations[0].match", message: 'must consist of exactly one tag "service"' },
      { field: "destinations[0].match", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("flags empty tag values in sources and foreign tags in destinations", () => {
    expect(
      causesOf({
        sources: [{ match: { service: "", region: "" } }],
        destinations: [{ match: { service: "", region: "" } }],
      }),
    ).toEqual([
      { field: 'sources[0].match["region"]', message: "tag value must be non-empty" },
      { field: 'sources[0].match["service"]', message: "tag value must be non-empty" },
      { field: "destinations[0].match", message: 'must consist of exactly one tag "service"' },
      { field: 'destinations[0].match["region"]', message: 'tag "region" is not allowed' },
      { field: 'destinations[0].match["region"]', message: "tag value must be non-empty" },
      { field: 'destinations[0].match["service"]', message: "tag value must be non-empty" },
    ]);
  });
});
