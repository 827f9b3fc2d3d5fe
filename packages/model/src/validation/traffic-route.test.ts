import { describe, expect, it } from "vitest";
import { TrafficRouteType } from "../registry.js";
import { decodeSpec } from "./test-support/resources.js";
import { validateTrafficRoute } from "./traffic-route.js";

const causesOf = (spec: Record<string, unknown>) => validateTrafficRoute(decodeSpec(TrafficRouteType, spec));

const valid = {
  sources: [{ match: { service: "web" } }],
  destinations: [{ match: { service: "backend" } }],
  conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
};

describe("validateTrafficRoute", () => {
  it("accepts a route and does not check weights (0 allowed, no sum rule)", () => {
    expect(causesOf(valid)).toEqual([]);
    expect(
      causesOf({ ...valid, conf: [{ destination: { service: "backend" } }, { weight: 7, destination: { service: "b" } }] }),
    ).toEqual([]);
  });

  it("reports an empty spec on sources, destinations and conf, in that order", () => {
    expect(causesOf({})).toEqual([
      { field: "sources", message: "must have at least one element" },
      { field: "destinations", message: "must have at least one element" },
      { field: "conf", message: "must have at least one element" },
    ]);
  });

  it("checks each conf destination like a match with tags and service required", () => {
    expect(
      causesOf({ sources: [{ match: {} }], destinations: [{ match: {} }], conf: [{ weight: 1, destination: {} }] }),
    ).toEqual([
      { field: "sources[0].match", message: "must have at least one tag" },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
      { field: "destinations[0].match", message: 'must consist of exactly one tag "service"' },
      { field: "destinations[0].match", message: 'mandatory tag "service" is missing' },
      { field: "conf[0].destination", message: "must have at least one tag" },
      { field: "conf[0].destination", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("reports empty keys and values of a destination with its index and key", () => {
    expect(
      causesOf({ ...valid, conf: [valid.conf[0], { weight: 1, destination: { "": "x", k: "", service: "b" } }] }),
    ).toEqual([
      { field: "conf[1].destination", message: "tag key must be non-empty" },
      { field: 'conf[1].destination["k"]', message: "tag value must be non-empty" },
    ]);
  });
});
