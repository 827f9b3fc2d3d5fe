/** `GET /meshes/{mesh}/dataplanes/{name}/policies` (inspection.md §2): everything that applies to one dataplane. */
import type { Dataplane } from "../resources/dataplane.js";
import type { Mesh } from "../resources/mesh.js";
import {
  applied,
  dataplaneDecisions,
  inboundDecisions,
  outboundDecisions,
  outboundRoute,
  reachableServices,
  serviceDecisions,
  type Decisions,
} from "./decisions.js";
import { inboundEffect, logBackend, tracingBackend } from "./effects.js";
import type { MeshPolicies, Policy, PolicyTypeName } from "./policies.js";
import type {
  DataplaneInspection,
  InspectionCandidate,
  InspectionCandidates,
  InspectionItem,
  MatchedPolicies,
} from "./schemas.js";
import { InspectedDataplane, PolicyIndex, type Candidate } from "./selection.js";

/** What inspecting a dataplane needs: the dataplane, its mesh and the mesh's policies. */
export interface DataplaneInspectionInput {
  readonly dataplane: Dataplane;
  /** The dataplane's mesh; undefined for an orphan, inspected as if its mesh were empty (mTLS off, no backends). */
  readonly mesh: Mesh | undefined;
  /** The policies of the dataplane's mesh (any of another mesh are left out: R1). */
  readonly policies: MeshPolicies;
  /** Adds every attachment's candidates in decision order (`?explain=true`). */
  readonly explain?: boolean;
}

/**
 * Every attachment of the dataplane with the policies that apply there and
 * their effect: the dataplane, its inbounds, its outbounds, then the
 * services reachable through their routes.
 *
 * @example
 * const body = inspectDataplane({ dataplane, mesh, policies });
 * body.items[0]; // { type: "dataplane", matchedPolicies: {...}, effective: {...} }
 */
export function inspectDataplane(input: DataplaneInspectionInput): DataplaneInspection {
  const { dataplane, mesh } = input;
  const index = new PolicyIndex(policiesOfMesh(input.policies, dataplane.mesh));
  const inspected = new InspectedDataplane(dataplane);
  const report = (decisions: Decisions) => reported(decisions, input.explain ?? false);

  const whole = dataplaneDecisions(index, inspected);
  const items: InspectionItem[] = [
    {
      type: "dataplane",
      ...report(whole),
      effective: {
        tracingBackend: tracingBackend(mesh, applied("TrafficTrace", whole.TrafficTrace)[0]),
        proxyTemplate: applied("ProxyTemplate", whole.ProxyTemplate)[0]?.name ?? null,
      },
    },
  ];
  for (const inbound of inspected.attachments.inbounds) {
    const decisions = inboundDecisions(index, inbound);
    items.push({
      type: "inbound",
      name: inbound.name,
      service: inbound.service,
      ...report(decisions),
      effective: inboundEffect(mesh, applied("TrafficPermission", decisions.TrafficPermission)),
    });
  }
  for (const outbound of inspected.attachments.outbounds) {
    const decisions = outboundDecisions(index, inspected, outbound);
    items.push({
      type: "outbound",
      name: outbound.name,
      service: outbound.service,
      ...report(decisions),
      effective: {
        route: outboundRoute(index, inspected, outbound),
        logBackend: logBackend(mesh, applied("TrafficLog", decisions.TrafficLog)[0]),
      },
    });
  }
  for (const service of reachableServices(index, inspected)) {
    items.push({
      type: "service",
      name: service,
      service,
      ...report(serviceDecisions(index, inspected, service)),
      effective: {},
    });
  }
  return { total: items.length, items, next: null };
}

/** `matchedPolicies`, and with `explain` the `candidates`, of one attachment: keys only for non-empty lists, in type-name order. */
function reported(
  decisions: Decisions,
  explain: boolean,
): { matchedPolicies: MatchedPolicies; candidates?: InspectionCandidates } {
  const matchedPolicies: Record<string, unknown[]> = {};
  const candidates: Record<string, InspectionCandidate[]> = {};
  for (const type of (Object.keys(decisions) as PolicyTypeName[]).sort()) {
    const decided: readonly Candidate<Policy>[] = decisions[type] ?? [];
    const policies = applied(type, decided);
    if (policies.length > 0) matchedPolicies[type] = policies;
    if (explain && decided.length > 0) {
      candidates[type] = decided.map((candidate, i) => ({
        name: candidate.policy.name,
        ...(candidate.rank
          ? { rank: { exact: candidate.rank.exact, wildcard: candidate.rank.wildcard } }
          : {}),
        ...(candidate.policy.creationTime !== undefined
          ? { creationTime: candidate.policy.creationTime }
          : {}),
        selected: type === "TrafficPermission" || i === 0,
      }));
    }
  }
  return explain ? { matchedPolicies, candidates } : { matchedPolicies };
}

/** R1: only the policies of the dataplane's mesh. */
function policiesOfMesh(policies: MeshPolicies, mesh: string): MeshPolicies {
  const inMesh = <P extends { readonly mesh: string }>(list: readonly P[]): readonly P[] =>
    list.every((policy) => policy.mesh === mesh)
      ? list
      : list.filter((policy) => policy.mesh === mesh);
  return {
    HealthCheck: inMesh(policies.HealthCheck),
    ProxyTemplate: inMesh(policies.ProxyTemplate),
    TrafficLog: inMesh(policies.TrafficLog),
    TrafficPermission: inMesh(policies.TrafficPermission),
    TrafficRoute: inMesh(policies.TrafficRoute),
    TrafficTrace: inMesh(policies.TrafficTrace),
  };
}
