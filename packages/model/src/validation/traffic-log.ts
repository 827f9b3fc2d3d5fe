import type { Cause } from "../errors.js";
import type { TrafficLog } from "../resources/traffic-log.js";
import { ONLY_SERVICE, SERVICE_REQUIRED, validateSelectors } from "./selectors.js";

/**
 * Semantic validation of a TrafficLog (resources.md §4.8): the causes in the documented order.
 * `conf` is not checked: an empty backend means the mesh's default backend.
 */
export function validateTrafficLog(resource: TrafficLog): Cause[] {
  return [
    ...validateSelectors("sources", resource.sources, SERVICE_REQUIRED),
    ...validateSelectors("destinations", resource.destinations, ONLY_SERVICE),
  ];
}
