import { describe, expect, it } from "vitest";
import { TrafficTraceType } from "../registry.js";
import { decodeSpec } from "./test-support/resources.js";
import { validateTrafficTrace } from "./traffic-trace.js";

const causesOf = (spec: Record<string, unknown>) => validateTrafficTrace(decodeSpec(TrafficTraceType, spec));

describe("validateTrafficTrace", () => {
  it("accepts selectors without a service tag and no conf", () => {
    expect(causesOf({ selectors: [{ match: { region: "eu" } }] })).toEqual([]);
  });

  it("requires at least one selector", () => {
    expect(causesOf({ conf: { backend: "zipkin" } })).toEqual([
      { field: "selectors", message: "must have at least one element" },
    ]);
  });

  it("requires at least one tag per selector but not the service tag", () => {
    expect(causesOf({ selectors: [{ match: { service: "*" } }, { match: {} }] })).toEqual([
      { field: "selectors[1].match", message: "must have at least one tag" },
    ]);
  });

  it("flags empty keys and values", () => {
    expect(causesOf({ selectors: [{ match: { "": "x", region: "" } }] })).toEqual([
      { field: "selectors[0].match", message: "tag key must be non-empty" },
      { field: 'selectors[0].match["region"]', message: "tag value must be non-empty" },
    ]);
  });
});
