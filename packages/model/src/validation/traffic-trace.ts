import type { Cause } from "../errors.js";
import type { TrafficTrace } from "../resources/traffic-trace.js";
import { TAGS_REQUIRED, validateSelectors } from "./selectors.js";

/**
 * Semantic validation of a TrafficTrace (resources.md §4.10): the causes in the documented order.
 * `conf` is not checked: an empty backend means the mesh's default backend.
 */
export function validateTrafficTrace(resource: TrafficTrace): Cause[] {
  return validateSelectors("selectors", resource.selectors, TAGS_REQUIRED);
}
