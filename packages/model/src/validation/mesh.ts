import type { Cause } from "../errors.js";
import type { Mesh } from "../resources/mesh.js";

/** Semantic validation of a Mesh (resources.md §4): the causes in the documented order. */
export function validateMesh(_resource: Mesh): Cause[] {
  return []; // placeholder until the validation rules land
}
