import type { Cause } from "../errors.js";
import type { HealthCheck } from "../resources/health-check.js";

/** Semantic validation of a HealthCheck (resources.md §4): the causes in the documented order. */
export function validateHealthCheck(_resource: HealthCheck): Cause[] {
  return []; // placeholder until the validation rules land
}
