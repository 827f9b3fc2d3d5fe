/** Building blocks of the inspection tests: the worked examples' meshes and dataplanes, and short policy builders. */
import { readFileSync } from "node:fs";
import { parseResource } from "../../codec/resource-codec.js";
import { DataplaneType, MeshType } from "../../registry.js";
import type { Dataplane } from "../../resources/dataplane.js";
import type { Mesh } from "../../resources/mesh.js";
import type { Selector } from "../../resources/selector.js";
import type { WeightedDestination } from "../../resources/traffic-route.js";
import { EXAMPLES_DIR } from "../../test-support/examples.js";
import { inspectDataplane } from "../inspect-dataplane.js";
import type { MeshPolicies, Policy, PolicyOf } from "../policies.js";
import type { DataplaneInspection } from "../schemas.js";
import type { Tags } from "../selectors.js";

/** The meshes and dataplanes of inspection.md §7 (examples/inspection/demo.json), by name. */
export const demo = (() => {
  const bodies = JSON.parse(readFileSync(`${EXAMPLES_DIR}inspection/demo.json`, "utf8")) as {
    type: string;
  }[];
  const meshes = new Map<string, Mesh>();
  const dataplanes = new Map<string, Dataplane>();
  for (const body of bodies) {
    if (body.type === "Mesh") {
      const mesh = MeshType.applyDefaults(parseResource(MeshType, JSON.stringify(body)));
      meshes.set(mesh.name, mesh);
    } else {
      const dataplane = parseResource(DataplaneType, JSON.stringify(body));
      dataplanes.set(dataplane.name, dataplane);
    }
  }
  return { meshes, dataplanes };
})();

/** `{service: "*"}`. */
export const ANY: Tags = { service: "*" };

/** `src → dst`: one source and one destination. */
export const rule = (
  source: Tags,
  destination: Tags,
): { sources: Selector[]; destinations: Selector[] } => ({
  sources: [{ match: source }],
  destinations: [{ match: destination }],
});

/** `{service: S}`. */
export const service = (name: string): Tags => ({ service: name });

/** A route's `conf` of one destination with weight 100. */
export const to = (destination: Tags): WeightedDestination[] => [{ weight: 100, destination }];

let clock = Date.UTC(2026, 0, 1);

/** A stored-looking policy of `demo` (or `mesh`): with its meta and creation times, later for each one made. */
export function policy<N extends Policy["type"]>(
  type: N,
  name: string,
  spec: Omit<PolicyOf<N>, "type" | "mesh" | "name">,
  mesh = "demo",
): PolicyOf<N> {
  // Whole seconds, written as the codec writes them (no fraction).
  const time = new Date((clock += 1000)).toISOString().replace(".000Z", "Z");
  return {
    type,
    mesh,
    name,
    creationTime: time,
    modificationTime: time,
    ...spec,
  } as unknown as PolicyOf<N>;
}

/** The policies grouped by type, as the server reads them. */
export function meshPolicies(policies: readonly Policy[]): MeshPolicies {
  const of = <N extends Policy["type"]>(type: N) =>
    policies.filter((p): p is PolicyOf<N> => p.type === type);
  return {
    HealthCheck: of("HealthCheck"),
    ProxyTemplate: of("ProxyTemplate"),
    TrafficLog: of("TrafficLog"),
    TrafficPermission: of("TrafficPermission"),
    TrafficRoute: of("TrafficRoute"),
    TrafficTrace: of("TrafficTrace"),
  };
}

/** Inspects a dataplane of the worked examples with these policies. */
export function inspectDemo(
  dataplane: string,
  policies: readonly Policy[] = [],
  explain = false,
): DataplaneInspection {
  const found = demo.dataplanes.get(dataplane);
  if (!found) throw new Error(`no dataplane ${dataplane} in the fixture`);
  return inspectDataplane({
    dataplane: found,
    mesh: demo.meshes.get(found.mesh),
    policies: meshPolicies(policies),
    explain,
  });
}

/** The item of an inspection at an attachment: `dataplane`, `inbound <name>`, `outbound <name>` or `service <name>`. */
export function itemAt(inspection: DataplaneInspection, at: string) {
  const found = inspection.items.find(
    (item) => (item.type === "dataplane" ? item.type : `${item.type} ${item.name}`) === at,
  );
  if (!found)
    throw new Error(`no item ${at} in ${inspection.items.map((item) => item.type).join(", ")}`);
  return found;
}

/** The names of the matched policies of each type at an item. */
export function matchedNames(item: DataplaneInspection["items"][number]): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(item.matchedPolicies).map(([type, policies]) => [
      type,
      (policies as Policy[]).map((p) => p.name),
    ]),
  );
}

/** Freezes a value all the way down, so that a function that writes to its input throws. */
export function freezeDeepForTest<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) freezeDeepForTest(child);
  }
  return value;
}
