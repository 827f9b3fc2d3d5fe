/** Small valid resources for the store's tests. */
import type { ResourceOf } from "@kuma-ts/model";
import type { DataplaneType, MeshType, TrafficRouteType } from "@kuma-ts/model";

export type Mesh = ResourceOf<typeof MeshType>;
export type Dataplane = ResourceOf<typeof DataplaneType>;
export type TrafficRoute = ResourceOf<typeof TrafficRouteType>;

/** A Mesh, with mTLS on or off. */
export function mesh(name: string, mtls = false): Mesh {
  return { type: "Mesh", name, ...(mtls ? { mtls: { enabled: true, ca: { builtin: {} } } } : {}) };
}

/** A Dataplane with one inbound whose tags are `service` plus `extra`. */
export function dataplane(
  meshName: string,
  name: string,
  extra: Record<string, string> = {},
): Dataplane {
  return {
    type: "Dataplane",
    mesh: meshName,
    name,
    networking: {
      address: "10.0.0.1",
      inbound: [{ port: 8080, servicePort: 80, tags: { service: "web", ...extra } }],
    },
  };
}

/** A TrafficRoute from web to backend. */
export function trafficRoute(meshName: string, name: string): TrafficRoute {
  return {
    type: "TrafficRoute",
    mesh: meshName,
    name,
    sources: [{ match: { service: "web" } }],
    destinations: [{ match: { service: "backend" } }],
    conf: [{ weight: 100, destination: { service: "backend" } }],
  };
}

/** The `n` tag of a dataplane made by `dataplane(..., { n })`. */
export function counterOf(resource: Dataplane): number {
  return Number(resource.networking?.inbound?.[0]?.tags?.["n"] ?? "0");
}
