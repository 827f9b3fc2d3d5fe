import { parseDuration } from "../codec/duration.js";
import type { Cause } from "../errors.js";
import type { ActiveChecks, HealthCheck, PassiveChecks } from "../resources/health-check.js";
import { ONLY_SERVICE, SERVICE_REQUIRED, validateSelectors } from "./selectors.js";

const NOT_POSITIVE = "must have a positive value";

/** Semantic validation of a HealthCheck (resources.md §4.5): the causes in the documented order. */
export function validateHealthCheck(resource: HealthCheck): Cause[] {
  const causes = [
    ...validateSelectors("sources", resource.sources, SERVICE_REQUIRED),
    ...validateSelectors("destinations", resource.destinations, ONLY_SERVICE),
  ];
  const active = resource.conf?.activeChecks;
  const passive = resource.conf?.passiveChecks;
  const hasActive = active !== undefined && isConfigured(active);
  const hasPassive = passive !== undefined && isConfigured(passive);
  if (!hasActive && !hasPassive) {
    causes.push({ field: "conf", message: "must have either active or passive checks configured" });
  }
  if (hasActive) {
    const checks: [string, boolean][] = [
      ["conf.activeChecks.interval", isPositiveDuration(active.interval)],
      ["conf.activeChecks.timeout", isPositiveDuration(active.timeout)],
      ["conf.activeChecks.unhealthyThreshold", (active.unhealthyThreshold ?? 0) > 0],
      ["conf.activeChecks.healthyThreshold", (active.healthyThreshold ?? 0) > 0],
    ];
    causes.push(...notPositive(checks));
  }
  if (hasPassive) {
    const checks: [string, boolean][] = [
      ["conf.passiveChecks.unhealthyThreshold", (passive.unhealthyThreshold ?? 0) > 0],
      ["conf.passiveChecks.penaltyInterval", isPositiveDuration(passive.penaltyInterval)],
    ];
    causes.push(...notPositive(checks));
  }
  return causes;
}

/**
 * A block counts as configured when it differs from an empty message: a
 * duration keeps its presence even at `0s`, a threshold of 0 is absent.
 */
function isConfigured(checks: ActiveChecks | PassiveChecks): boolean {
  return Object.values(checks).some((value) => value !== undefined && value !== 0);
}

function isPositiveDuration(duration: string | undefined): boolean {
  const nanos = duration === undefined ? undefined : parseDuration(duration);
  return nanos !== undefined && nanos > 0n;
}

function notPositive(checks: readonly [string, boolean][]): Cause[] {
  return checks.filter(([, ok]) => !ok).map(([field]) => ({ field, message: NOT_POSITIVE }));
}
