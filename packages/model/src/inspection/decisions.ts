/**
 * What is decided at each attachment of a dataplane (R6), shared by both
 * endpoints: `…/dataplanes/{name}/policies` reports every decision, and
 * `…/{policy}/dataplanes` looks for one policy among them, so the two agree
 * (invariant I1) by construction.
 */
import { compareCodePoints } from "../codec/decode.js";
import type { InboundAttachment, OutboundAttachment } from "./attachments.js";
import { routeEffect, routedServices } from "./effects.js";
import type { Policy, PolicyOf, PolicyTypeName } from "./policies.js";
import type { EffectiveRoute } from "./schemas.js";
import type { Candidate, InspectedDataplane, PolicyIndex } from "./selection.js";

/** The candidates of each type decided at one attachment, in decision order. */
export type Decisions = { readonly [N in PolicyTypeName]?: readonly Candidate<PolicyOf<N>>[] };

/** The policies of a type that apply: every TrafficPermission candidate; for the other types the winner only (R5). */
export function applied<P extends Policy>(
  type: PolicyTypeName,
  candidates: readonly Candidate<P>[] | undefined,
): P[] {
  if (candidates === undefined || candidates.length === 0) return [];
  return type === "TrafficPermission" ? candidates.map((c) => c.policy) : [candidates[0]!.policy];
}

/** The dataplane as a whole: TrafficTrace and ProxyTemplate. */
export function dataplaneDecisions(index: PolicyIndex, dataplane: InspectedDataplane) {
  return {
    ProxyTemplate: index.proxyTemplatesFor(dataplane),
    TrafficTrace: index.tracesFor(dataplane),
  } satisfies Decisions;
}

/** An inbound: TrafficPermission. */
export function inboundDecisions(index: PolicyIndex, inbound: InboundAttachment) {
  return { TrafficPermission: index.permissionsFor(inbound) } satisfies Decisions;
}

/** An outbound: TrafficRoute and TrafficLog, for its service. */
export function outboundDecisions(
  index: PolicyIndex,
  dataplane: InspectedDataplane,
  outbound: OutboundAttachment,
) {
  return {
    TrafficLog: index.logsFor(dataplane, outbound.service),
    TrafficRoute: index.routesFor(dataplane, outbound.service),
  } satisfies Decisions;
}

/** A reachable service: HealthCheck. */
export function serviceDecisions(
  index: PolicyIndex,
  dataplane: InspectedDataplane,
  service: string,
) {
  return { HealthCheck: index.healthChecksFor(dataplane, service) } satisfies Decisions;
}

/** The route an outbound takes: the winning TrafficRoute, or the implicit default route. */
export function outboundRoute(
  index: PolicyIndex,
  dataplane: InspectedDataplane,
  outbound: OutboundAttachment,
): EffectiveRoute {
  return routeEffect(
    outbound.service,
    applied("TrafficRoute", index.routesFor(dataplane, outbound.service))[0],
  );
}

/** The services reachable through every outbound's route (implicit ones and weight-0 entries too), sorted by name. */
export function reachableServices(index: PolicyIndex, dataplane: InspectedDataplane): string[] {
  const services = new Set<string>();
  for (const outbound of dataplane.attachments.outbounds) {
    for (const service of routedServices(outboundRoute(index, dataplane, outbound)))
      services.add(service);
  }
  return [...services].sort(compareCodePoints);
}
