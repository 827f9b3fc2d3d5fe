/**
 * R7: what Kuma 0.4's generated Envoy configuration would do with the
 * policies chosen for a dataplane.
 */
import { compareCodePoints } from "../codec/decode.js";
import type { Mesh } from "../resources/mesh.js";
import type { TrafficLog } from "../resources/traffic-log.js";
import type { TrafficPermission } from "../resources/traffic-permission.js";
import type { TrafficRoute } from "../resources/traffic-route.js";
import type { TrafficTrace } from "../resources/traffic-trace.js";
import { SERVICE_TAG } from "../validation/tags.js";
import type { EffectiveRoute, InspectionInboundItem } from "./schemas.js";

/** RBAC at an inbound. */
type InboundEffect = InspectionInboundItem["effective"];

/**
 * TrafficPermission is enforced only when the mesh has mTLS enabled; the
 * allowed peers are the sorted union of the matched permissions' source
 * services (`[]` under RBAC denies every connection).
 */
export function inboundEffect(
  mesh: Mesh | undefined,
  permissions: readonly TrafficPermission[],
): InboundEffect {
  const sources = new Set<string>();
  for (const permission of permissions) {
    for (const source of permission.sources ?? []) {
      const match = source.match ?? {};
      if (Object.hasOwn(match, SERVICE_TAG)) sources.add(match[SERVICE_TAG]!);
    }
  }
  return {
    rbac: mesh?.mtls?.enabled ?? false,
    allowedSources: [...sources].sort(compareCodePoints),
  };
}

/** The route of an outbound of `service`: the winner's `conf` verbatim, or `[{weight: 100, destination: {service}}]`. */
export function routeEffect(service: string, winner: TrafficRoute | undefined): EffectiveRoute {
  return winner
    ? { implicit: false, conf: winner.conf ?? [] }
    : { implicit: true, conf: [{ weight: 100, destination: { [SERVICE_TAG]: service } }] };
}

/** The destination services a route's `conf` names (weight-0 entries too), in `conf` order. */
export function routedServices(route: EffectiveRoute): string[] {
  return route.conf.flatMap(({ destination }) =>
    destination !== undefined && Object.hasOwn(destination, SERVICE_TAG)
      ? [destination[SERVICE_TAG]!]
      : [],
  );
}

/**
 * The backend the winning TrafficLog writes to: its own, or the mesh's
 * default; null when there is no TrafficLog or the name is not a backend of
 * the mesh (then nothing is logged: 0.4 had no fallback to another TrafficLog).
 */
export function logBackend(mesh: Mesh | undefined, winner: TrafficLog | undefined): string | null {
  return winner ? resolveBackend(winner.conf?.backend, mesh?.logging) : null;
}

/** The tracing backend of the winning TrafficTrace, resolved like logBackend. */
export function tracingBackend(
  mesh: Mesh | undefined,
  winner: TrafficTrace | undefined,
): string | null {
  return winner ? resolveBackend(winner.conf?.backend, mesh?.tracing) : null;
}

function resolveBackend(
  name: string | undefined,
  settings:
    | {
        readonly defaultBackend?: string;
        readonly backends?: readonly { readonly name?: string }[];
      }
    | undefined,
): string | null {
  const chosen = name || settings?.defaultBackend || "";
  return chosen !== "" && (settings?.backends ?? []).some((backend) => backend.name === chosen)
    ? chosen
    : null;
}
