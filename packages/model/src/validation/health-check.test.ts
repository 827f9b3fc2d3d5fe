import { describe, expect, it } from "vitest";
import { HealthCheckType } from "../registry.js";
import { validateHealthCheck } from "./health-check.js";
import { decodeSpec } from "./test-support/resources.js";

const causesOf = (spec: Record<string, unknown>) => validateHealthCheck(decodeSpec(HealthCheckType, spec));

const selectors = { sources: [{ match: { service: "web" } }], destinations: [{ match: { service: "backend" } }] };

describe("validateHealthCheck", () => {
  it("accepts active checks, passive checks, or both", () => {
    const active = { interval: "10s", timeout: "2s", unhealthyThreshold: 3, healthyThreshold: 1 };
    const passive = { unhealthyThreshold: 3, penaltyInterval: "5s" };
    expect(causesOf({ ...selectors, conf: { activeChecks: active } })).toEqual([]);
    expect(causesOf({ ...selectors, conf: { passiveChecks: passive } })).toEqual([]);
    expect(causesOf({ ...selectors, conf: { activeChecks: active, passiveChecks: passive } })).toEqual([]);
  });

  it("reports an empty spec on sources, destinations and conf", () => {
    expect(causesOf({})).toEqual([
      { field: "sources", message: "must have at least one element" },
      { field: "destinations", message: "must have at least one element" },
      { field: "conf", message: "must have either active or passive checks configured" },
    ]);
  });

  it("treats empty check blocks as not configured", () => {
    expect(
      causesOf({ sources: [{ match: {} }], destinations: [{ match: {} }], conf: { activeChecks: {}, passiveChecks: {} } }),
    ).toEqual([
      { field: "sources[0].match", message: "must have at least one tag" },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
      { field: "destinations[0].match", message: 'must consist of exactly one tag "service"' },
      { field: "destinations[0].match", message: 'mandatory tag "service" is missing' },
      { field: "conf", message: "must have either active or passive checks configured" },
    ]);
  });

  it("treats zero thresholds as absent, so a block of zeros is not configured", () => {
    expect(causesOf({ ...selectors, conf: { activeChecks: { unhealthyThreshold: 0, healthyThreshold: "0" } } })).toEqual([
      { field: "conf", message: "must have either active or passive checks configured" },
    ]);
  });

  it("counts a block with only a 0s duration as configured and reports every field", () => {
    expect(causesOf({ ...selectors, conf: { activeChecks: { interval: "0s" } } })).toEqual([
      { field: "conf.activeChecks.interval", message: "must have a positive value" },
      { field: "conf.activeChecks.timeout", message: "must have a positive value" },
      { field: "conf.activeChecks.unhealthyThreshold", message: "must have a positive value" },
      { field: "conf.activeChecks.healthyThreshold", message: "must have a positive value" },
    ]);
  });

  it("rejects negative durations and names passive fields in their order", () => {
    expect(
      causesOf({
        ...selectors,
        conf: {
          activeChecks: { interval: "-1s", timeout: "1ms", unhealthyThreshold: 1, healthyThreshold: 1 },
          passiveChecks: { penaltyInterval: "-250ms" },
        },
      }),
    ).toEqual([
      { field: "conf.activeChecks.interval", message: "must have a positive value" },
      { field: "conf.passiveChecks.unhealthyThreshold", message: "must have a positive value" },
      { field: "conf.passiveChecks.penaltyInterval", message: "must have a positive value" },
    ]);
  });

  it("counts a passive block with only a threshold as configured", () => {
    expect(causesOf({ ...selectors, conf: { passiveChecks: { unhealthyThreshold: 2 } } })).toEqual([
      { field: "conf.passiveChecks.penaltyInterval", message: "must have a positive value" },
    ]);
  });
});
