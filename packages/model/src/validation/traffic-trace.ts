import type { Cause } from "../errors.js";
import type { TrafficTrace } from "../resources/traffic-trace.js";

/** Semantic validation of a TrafficTrace (resources.md §4): the causes in the documented order. */
export function validateTrafficTrace(_resource: TrafficTrace): Cause[] {
  return []; // placeholder until the validation rules land
}
