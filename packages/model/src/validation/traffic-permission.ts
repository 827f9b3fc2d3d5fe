import type { Cause } from "../errors.js";
import type { TrafficPermission } from "../resources/traffic-permission.js";
import { ONLY_SERVICE, validateSelectors } from "./selectors.js";

/** Semantic validation of a TrafficPermission (resources.md §4.7): the causes in the documented order. */
export function validateTrafficPermission(resource: TrafficPermission): Cause[] {
  return [
    ...validateSelectors("sources", resource.sources, ONLY_SERVICE),
    ...validateSelectors("destinations", resource.destinations, ONLY_SERVICE),
  ];
}
