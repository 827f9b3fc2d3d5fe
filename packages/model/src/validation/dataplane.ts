import type { Cause } from "../errors.js";
import type { Dataplane } from "../resources/dataplane.js";

/** Semantic validation of a Dataplane (resources.md §4): the causes in the documented order. */
export function validateDataplane(_resource: Dataplane): Cause[] {
  return []; // placeholder until the validation rules land
}
