import type { Cause } from "../errors.js";
import type { TrafficRoute } from "../resources/traffic-route.js";

/** Semantic validation of a TrafficRoute (resources.md §4): the causes in the documented order. */
export function validateTrafficRoute(_resource: TrafficRoute): Cause[] {
  return []; // placeholder until the validation rules land
}
