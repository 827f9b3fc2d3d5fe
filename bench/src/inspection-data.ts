/**
 * The mesh of the inspection benchmarks: the dataplanes of data.ts and
 * policies of every type over the same services — mostly between named
 * services, some with a version, a few with wildcards — so that every
 * dataplane has candidates, ties are decided by name and wildcard policies
 * compete with exact ones, as in a real mesh.
 */
import { policyTypes } from "@kuma-ts/model";

/** The mesh's logging and tracing backends, for the backends the policies name. */
export function inspectionMesh(name: string): Record<string, unknown> {
  return {
    type: "Mesh",
    name,
    logging: { defaultBackend: "file1", backends: [{ name: "file1", file: { path: "/var/log/access.log" } }] },
    tracing: { defaultBackend: "zipkin", backends: [{ name: "zipkin", zipkin: { url: "http://zipkin:9411/api/v2/spans" } }] },
  };
}

/** `hc-0042`, ...: fixed width, so that name order is creation order. */
export const policyName = (prefix: string, k: number): string => `${prefix}-${String(k).padStart(4, "0")}`;

const backend = (k: number) => `backend-${k % 50}`;
/** One source in twenty is every service; one in four names a version too. */
const source = (k: number): Record<string, string> =>
  k % 20 === 0 ? { service: "*" } : k % 4 === 1 ? { service: backend(k), version: `v${k % 3}` } : { service: backend(k) };
/** The dataplanes' outbounds go to `database` and `user-0`..`user-6`; one destination in 25 is every service. */
const destination = (k: number): string => (k % 25 === 0 ? "*" : k % 2 === 0 ? `user-${k % 7}` : "database");
const routed = (k: number): string => (destination(k) === "*" ? "database" : destination(k));

const selector = (match: Record<string, string>) => ({ match });

/** The k-th policy of a type. */
const policyBodies: Record<string, (k: number) => Record<string, unknown>> = {
  TrafficPermission: (k) => ({
    sources: [selector({ service: backend(k * 7) })],
    destinations: [selector({ service: k % 25 === 0 ? "*" : backend(k) })],
  }),
  TrafficRoute: (k) => ({
    sources: [selector(source(k))],
    destinations: [selector({ service: destination(k) })],
    conf: [
      { weight: 90, destination: { service: routed(k), version: "v1" } },
      { weight: 10, destination: { service: `${routed(k)}-canary-${k % 10}` } },
    ],
  }),
  TrafficLog: (k) => ({
    sources: [selector(source(k))],
    destinations: [selector({ service: destination(k) })],
    ...(k % 2 === 0 ? { conf: { backend: "file1" } } : {}),
  }),
  HealthCheck: (k) => ({
    sources: [selector(source(k))],
    destinations: [selector({ service: k % 3 === 0 ? `${routed(k)}-canary-${k % 10}` : destination(k) })],
    conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
  }),
  TrafficTrace: (k) => ({
    selectors: [selector(k % 20 === 0 ? { service: "*" } : { service: backend(k), env: k % 2 === 0 ? "prod" : "dev" })],
  }),
  ProxyTemplate: (k) => ({
    ...(k % 100 === 0 ? {} : { selectors: [selector({ service: backend(k), version: `v${k % 3}` })] }),
    conf: { imports: ["default-proxy"] },
  }),
};

/** The prefix of a type's policy names: `hc` for HealthCheck, `tr` for TrafficRoute, ... */
export const prefixOf = (type: string): string => type.replace(/[a-z]/g, "").toLowerCase();

/** `count` policies of every type, as PUT bodies with their URLs. */
export function inspectionPolicies(mesh: string, count: number): { path: string; body: Record<string, unknown> }[] {
  return policyTypes.flatMap((type) =>
    Array.from({ length: count }, (_, k) => {
      const name = policyName(prefixOf(type.name), k);
      return {
        path: `/meshes/${mesh}/${type.path}/${name}`,
        body: { type: type.name, mesh, name, ...policyBodies[type.name]!(k) },
      };
    }),
  );
}
