import type { Mesh } from "./mesh.js";

/** The Prometheus port a mesh's metrics default to. */
export const DEFAULT_PROMETHEUS_PORT = 5670;
/** The Prometheus path a mesh's metrics default to. */
export const DEFAULT_PROMETHEUS_PATH = "/metrics";

/**
 * Mesh defaults, applied on create and on update before validation
 * (resources.md §4.1): a CA of type builtin, and the Prometheus port and path.
 */
export function applyMeshDefaults(mesh: Mesh): Mesh {
  const ca = mesh.mtls?.ca;
  const hasCaType = ca !== undefined && (ca.builtin !== undefined || ca.provided !== undefined);
  const mtls = { ...mesh.mtls, ca: hasCaType ? ca : { builtin: {} } };
  const prometheus = mesh.metrics?.prometheus;
  const metrics = prometheus
    ? {
        ...mesh.metrics,
        prometheus: {
          ...prometheus,
          port: prometheus.port || DEFAULT_PROMETHEUS_PORT,
          path: prometheus.path || DEFAULT_PROMETHEUS_PATH,
        },
      }
    : mesh.metrics;
  return { ...mesh, mtls, ...(metrics ? { metrics } : {}) };
}
