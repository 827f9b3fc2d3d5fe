/**
 * `GET /meshes/{mesh}/{collection}/{name}/dataplanes` (inspection.md §3):
 * where one policy applies. An attachment is listed iff the policy is among
 * the `matchedPolicies` of that attachment in the dataplane's inspection
 * (I1): the same decisions, asked about one policy.
 */
import type { Dataplane } from "../resources/dataplane.js";
import {
  applied,
  dataplaneDecisions,
  inboundDecisions,
  outboundDecisions,
  reachableServices,
  serviceDecisions,
  type Decisions,
} from "./decisions.js";
import type { MeshPolicies, Policy } from "./policies.js";
import type { PolicyAttachment } from "./schemas.js";
import { InspectedDataplane, PolicyIndex, sourceRank } from "./selection.js";

/** The policies that decide where `policy` applies: those of its type, and TrafficRoutes for a HealthCheck. */
export type PolicyRivals = Partial<MeshPolicies>;

/**
 * Where `policy` applies, as a function of a dataplane (to be called for
 * every dataplane of its mesh): the attachments in the order of §2, empty
 * where it applies nowhere. `rivals` are the mesh's policies of its type
 * (the policy itself is taken as given, whether the list has it or an older
 * version of it) and, for a HealthCheck, the mesh's TrafficRoutes.
 *
 * @example
 * const where = policyAttachments(route, { TrafficRoute: routes });
 * where(dataplane); // [{ type: "outbound", name: "127.0.0.1:10001", service: "backend" }]
 */
export function policyAttachments(
  policy: Policy,
  rivals: PolicyRivals,
): (dataplane: Dataplane) => PolicyAttachment[] {
  const index = new PolicyIndex({
    ...rivals,
    [policy.type]: withPolicy(rivals[policy.type] ?? [], policy),
  });
  const applies = (decisions: Decisions): boolean =>
    applied<Policy>(policy.type, decisions[policy.type]).some(
      (winner) => winner.name === policy.name,
    );

  return (dataplane) => {
    if (dataplane.mesh !== policy.mesh) return [];
    const inspected = new InspectedDataplane(dataplane);
    const { inbounds, outbounds } = inspected.attachments;
    switch (policy.type) {
      case "TrafficTrace":
      case "ProxyTemplate":
        return applies(dataplaneDecisions(index, inspected)) ? [{ type: "dataplane" }] : [];
      case "TrafficPermission":
        return inbounds
          .filter((inbound) => applies(inboundDecisions(index, inbound)))
          .map((inbound) => ({ type: "inbound", name: inbound.name, service: inbound.service }));
      case "TrafficRoute":
      case "TrafficLog":
        // Sources that miss the dataplane: the policy is a candidate at none of its outbounds.
        if (!sourceRank(policy, inspected.attachments.tagSets)) return [];
        return outbounds
          .filter((outbound) => applies(outboundDecisions(index, inspected, outbound)))
          .map((outbound) => ({
            type: "outbound",
            name: outbound.name,
            service: outbound.service,
          }));
      case "HealthCheck":
        if (!sourceRank(policy, inspected.attachments.tagSets)) return [];
        return reachableServices(index, inspected)
          .filter((service) => applies(serviceDecisions(index, inspected, service)))
          .map((service) => ({ type: "service", name: service, service }));
    }
  };
}

/** The list with `policy` in place of any policy of its name. */
function withPolicy<P extends { readonly name: string }>(list: readonly P[], policy: P): P[] {
  return [...list.filter((other) => other.name !== policy.name), policy];
}
