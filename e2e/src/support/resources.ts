/** Request bodies the tests send: valid resources whose content encodes what the test needs to check. */

/** A Mesh body. */
export function meshBody(name: string): Record<string, unknown> {
  return { type: "Mesh", name };
}

/** A TrafficRoute whose single route's weight carries a number (a counter, a sequence number). */
export function trafficRouteBody(
  mesh: string,
  name: string,
  weight: number,
): Record<string, unknown> {
  return {
    type: "TrafficRoute",
    mesh,
    name,
    sources: [{ match: { service: "web" } }],
    destinations: [{ match: { service: "backend" } }],
    conf: [{ weight, destination: { service: "backend" } }],
  };
}

/** The weight a TrafficRoute body (or GET response) carries. */
export function weightOf(route: unknown): number {
  const conf = (route as { conf?: { weight?: number | string }[] } | undefined)?.conf;
  return Number(conf?.[0]?.weight ?? 0);
}

/** A TrafficTrace whose selector carries a marker tag (who wrote it, which write it was). */
export function trafficTraceBody(
  mesh: string,
  name: string,
  marker: string,
): Record<string, unknown> {
  return {
    type: "TrafficTrace",
    mesh,
    name,
    selectors: [{ match: { service: "web", marker } }],
    conf: { backend: "zipkin" },
  };
}

/** The marker of a TrafficTrace body (or GET response). */
export function markerOf(trace: unknown): string | undefined {
  return (trace as { selectors?: { match?: { marker?: string } }[] } | undefined)?.selectors?.[0]
    ?.match?.marker;
}

/** A TrafficPermission from service `web` to service `backend`. */
export function trafficPermissionBody(mesh: string, name: string): Record<string, unknown> {
  return {
    type: "TrafficPermission",
    mesh,
    name,
    sources: [{ match: { service: "web" } }],
    destinations: [{ match: { service: "backend" } }],
  };
}

/** The collection path segment of each type the tests write. */
export const COLLECTION = {
  TrafficRoute: "traffic-routes",
  TrafficTrace: "traffic-traces",
  TrafficPermission: "traffic-permissions",
} as const;
