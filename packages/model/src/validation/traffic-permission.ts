import type { Cause } from "../errors.js";
import type { TrafficPermission } from "../resources/traffic-permission.js";

/** Semantic validation of a TrafficPermission (resources.md §4): the causes in the documented order. */
export function validateTrafficPermission(_resource: TrafficPermission): Cause[] {
  return []; // placeholder until the validation rules land
}
