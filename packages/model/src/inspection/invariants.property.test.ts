/** The invariants of inspection.md §4 on random meshes, for the pure functions. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { freezeDeepForTest, meshPolicies } from "./test-support/fixtures.js";
import { randomMeshArbitrary, type RandomMesh } from "./test-support/arbitraries.js";
import { inspectDataplane } from "./inspect-dataplane.js";
import { policyAttachments } from "./policy-dataplanes.js";
import type { Policy } from "./policies.js";
import type { DataplaneInspection, InspectionItem, PolicyAttachment } from "./schemas.js";

const inspectAll = (world: RandomMesh, explain = false): DataplaneInspection[] =>
  world.dataplanes.map((dataplane) =>
    inspectDataplane({
      dataplane,
      mesh: world.mesh,
      policies: meshPolicies([...world.policies, ...world.foreign]),
      explain,
    }),
  );

const matched = (item: InspectionItem): Policy[] =>
  Object.values(item.matchedPolicies).flat() as Policy[];

const attachmentOf = (item: InspectionItem): PolicyAttachment =>
  item.type === "dataplane"
    ? { type: "dataplane" }
    : { type: item.type, name: item.name, service: item.service };

const property = (check: (world: RandomMesh) => void) =>
  fc.assert(fc.property(randomMeshArbitrary, check), { numRuns: 300 });

describe("inspection invariants (§4) on random meshes", () => {
  it("I1: a policy lists an attachment iff the attachment's inspection matched it", () => {
    property((world) => {
      const inspections = inspectAll(world);
      for (const policy of world.policies) {
        const where = policyAttachments(policy, meshPolicies(world.policies));
        world.dataplanes.forEach((dataplane, i) => {
          const expected = inspections[i]!.items.filter((item) =>
            matched(item).some((p) => p.type === policy.type && p.name === policy.name),
          ).map(attachmentOf);
          expect(where(dataplane)).toEqual(expected);
        });
      }
    });
  });

  it("I2: one route, log, health check, trace and template at most per attachment; no route exactly when implicit", () => {
    property((world) => {
      for (const item of inspectAll(world).flatMap((inspection) => inspection.items)) {
        const count = (type: keyof InspectionItem["matchedPolicies"]) =>
          item.matchedPolicies[type]?.length ?? 0;
        if (item.type === "outbound") {
          expect(count("TrafficRoute")).toBeLessThanOrEqual(1);
          expect(count("TrafficRoute") === 0).toBe(item.effective.route.implicit);
          expect(count("TrafficLog")).toBeLessThanOrEqual(1);
        }
        if (item.type === "service") expect(count("HealthCheck")).toBeLessThanOrEqual(1);
        if (item.type === "dataplane") {
          expect(count("TrafficTrace")).toBeLessThanOrEqual(1);
          expect(count("ProxyTemplate")).toBeLessThanOrEqual(1);
        }
        for (const list of Object.values(item.matchedPolicies))
          expect(list.length).toBeGreaterThan(0);
      }
    });
  });

  it("I3: the service items are the distinct destination services of the outbounds' routes", () => {
    property((world) => {
      for (const inspection of inspectAll(world)) {
        const routed = new Set(
          inspection.items.flatMap((item) =>
            item.type === "outbound"
              ? item.effective.route.conf.map((entry) => entry.destination?.service ?? "")
              : [],
          ),
        );
        const services = inspection.items
          .filter((item) => item.type === "service")
          .map((item) => item.service);
        expect(services).toEqual([...routed].sort());
        expect(inspection.total).toBe(inspection.items.length);
      }
    });
  });

  it("I4: a policy of another mesh never appears, nor applies to this mesh's dataplanes", () => {
    property((world) => {
      for (const inspection of inspectAll(world, true)) {
        for (const item of inspection.items) {
          for (const policy of matched(item)) expect(policy.mesh).toBe("m");
        }
      }
      for (const policy of world.foreign) {
        const where = policyAttachments(
          policy,
          meshPolicies([...world.foreign, ...world.policies]),
        );
        for (const dataplane of world.dataplanes) expect(where(dataplane)).toEqual([]);
      }
    });
  });

  it("I5: inspection changes nothing, and twice gives the same answer", () => {
    property((world) => {
      const before = JSON.stringify(world);
      // Frozen inputs: any write to them throws.
      const frozen = freezeDeepForTest(structuredClone(world));
      expect(inspectAll(frozen, true)).toEqual(inspectAll(frozen, true));
      for (const policy of frozen.policies) {
        const where = policyAttachments(policy, meshPolicies(frozen.policies));
        for (const dataplane of frozen.dataplanes)
          expect(where(dataplane)).toEqual(where(dataplane));
      }
      expect(JSON.stringify(world)).toBe(before);
    });
  });
});
