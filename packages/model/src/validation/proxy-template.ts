import type { Cause } from "../errors.js";
import type { ProxyTemplate } from "../resources/proxy-template.js";

/** Semantic validation of a ProxyTemplate (resources.md §4): the causes in the documented order. */
export function validateProxyTemplate(_resource: ProxyTemplate): Cause[] {
  return []; // placeholder until the validation rules land
}
