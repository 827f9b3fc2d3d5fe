import { fieldPath } from "../codec/schema-walk.js";
import type { Cause } from "../errors.js";
import type { TrafficRoute } from "../resources/traffic-route.js";
import { ONLY_SERVICE, SERVICE_REQUIRED, validateSelectors, validateTagSelector } from "./selectors.js";

/**
 * Semantic validation of a TrafficRoute (resources.md §4.9): the causes in the documented order.
 * Weights are deliberately not checked: Kuma 0.4 allowed 0 and had no rule on their sum.
 */
export function validateTrafficRoute(resource: TrafficRoute): Cause[] {
  const causes = [
    ...validateSelectors("sources", resource.sources, SERVICE_REQUIRED),
    ...validateSelectors("destinations", resource.destinations, ONLY_SERVICE),
  ];
  const conf = resource.conf ?? [];
  if (conf.length === 0) causes.push({ field: "conf", message: "must have at least one element" });
  conf.forEach((weighted, i) => {
    const path = fieldPath.field(fieldPath.index("conf", i), "destination");
    causes.push(...validateTagSelector(path, weighted.destination, SERVICE_REQUIRED));
  });
  return causes;
}
