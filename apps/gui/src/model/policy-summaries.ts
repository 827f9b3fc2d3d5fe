/** The type-specific columns of the policy lists (gui.md P6), as words. */
import type {
  HealthCheck,
  Policy,
  ProxyTemplate,
  Selector,
  TrafficLog,
  TrafficRoute,
  TrafficTrace,
  WeightedDestination,
} from "@kuma-ts/model";

/** A selector as chips: `service=web` first, then the other tags in order. */
export function selectorChips(selector: Selector): string[] {
  const match = selector.match ?? {};
  const entries = Object.entries(match).sort(([a], [b]) =>
    a === "service" ? -1 : b === "service" ? 1 : 0,
  );
  return entries.map(([key, value]) => `${key}=${value}`);
}

/** The share of each weighted destination: `v1 90 % · v2 10 %`; weight 0 is said honestly. */
export function routeSplit(conf: readonly WeightedDestination[]): string {
  const total = conf.reduce((sum, entry) => sum + (entry.weight ?? 0), 0);
  return conf
    .map((entry) => {
      const name = destinationName(entry.destination ?? {});
      const weight = entry.weight ?? 0;
      if (weight === 0) return `${name} 0 % (weight 0)`;
      return `${name} ${formatPercent((weight / total) * 100)} %`;
    })
    .join(" · ");
}

/** `v1` when the destination names a version, else its tags. */
function destinationName(destination: Readonly<Record<string, string>>): string {
  if (destination.version !== undefined) return destination.version;
  const tags = Object.entries(destination).map(([key, value]) => `${key}=${value}`);
  return tags.join(",") || "(any)";
}

function formatPercent(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** The backend of a log or trace: its own, or the mesh's default. */
export const backendText = (policy: TrafficLog | TrafficTrace): string =>
  policy.conf?.backend || "mesh default";

/** `every 10s, timeout 2s, unhealthy after 3, healthy after 1` */
export function activeChecksText(policy: HealthCheck): string | undefined {
  const active = policy.conf?.activeChecks;
  if (!active) return undefined;
  return [
    `every ${active.interval ?? "?"}`,
    `timeout ${active.timeout ?? "?"}`,
    `unhealthy after ${active.unhealthyThreshold ?? 0}`,
    `healthy after ${active.healthyThreshold ?? 0}`,
  ].join(", ");
}

/** `unhealthy after 3, penalty 5s` */
export function passiveChecksText(policy: HealthCheck): string | undefined {
  const passive = policy.conf?.passiveChecks;
  if (!passive) return undefined;
  return `unhealthy after ${passive.unhealthyThreshold ?? 0}, penalty ${passive.penaltyInterval ?? "?"}`;
}

/** The selectors of a policy that has `selectors` (traces, templates); sources → destinations for the others. */
export interface PolicySelectors {
  readonly sources?: readonly Selector[];
  readonly destinations?: readonly Selector[];
  readonly selectors?: readonly Selector[];
}

export const selectorsOf = (policy: Policy): PolicySelectors => policy as PolicySelectors;

/** The imports of a proxy template, or the built-in default. */
export const importsText = (template: ProxyTemplate): string =>
  (template.conf?.imports ?? []).join(", ") || "none";

/** How many raw resources a proxy template adds. */
export const resourcesCount = (template: ProxyTemplate): number =>
  template.conf?.resources?.length ?? 0;

/** The split of a route. */
export const splitOf = (route: TrafficRoute): string => routeSplit(route.conf ?? []);
