/** What the mesh pages show of a Mesh's spec, in words. */
import type { Mesh } from "@kuma-ts/model";

/** `on (builtin CA)`, `off` */
export function mtlsText(mesh: Mesh): string {
  if (!mesh.mtls?.enabled) return "off";
  const ca = mesh.mtls.ca?.provided ? "provided" : "builtin";
  return `on (${ca} CA)`;
}

/** `2 (default: file-1)`, `none` */
export function backendsText(
  section: { backends?: readonly unknown[]; defaultBackend?: string } | undefined,
): string {
  const count = section?.backends?.length ?? 0;
  if (count === 0) return "none";
  return section?.defaultBackend ? `${count} (default: ${section.defaultBackend})` : String(count);
}

/** `prometheus :5670/metrics`, `off` */
export function metricsText(
  metrics: { prometheus?: { port?: number; path?: string } } | undefined,
): string {
  const prometheus = metrics?.prometheus;
  if (!prometheus) return "off";
  return `prometheus :${prometheus.port ?? "?"}${prometheus.path ?? ""}`;
}
