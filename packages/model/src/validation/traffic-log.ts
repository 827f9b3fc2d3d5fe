import type { Cause } from "../errors.js";
import type { TrafficLog } from "../resources/traffic-log.js";

/** Semantic validation of a TrafficLog (resources.md §4): the causes in the documented order. */
export function validateTrafficLog(_resource: TrafficLog): Cause[] {
  return []; // placeholder until the validation rules land
}
