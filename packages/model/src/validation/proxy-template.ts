import { fieldPath } from "../codec/schema-walk.js";
import type { Cause } from "../errors.js";
import type { ProxyTemplate } from "../resources/proxy-template.js";
import { envoyResourceError } from "./envoy-resource.js";
import { OPTIONAL_SERVICE_REQUIRED, validateSelectors } from "./selectors.js";

/** The profiles a ProxyTemplate may import. */
const PROXY_TEMPLATE_PROFILES: readonly string[] = ["default-proxy"];

/** Semantic validation of a ProxyTemplate (resources.md §4.6): the causes in the documented order. */
export function validateProxyTemplate(resource: ProxyTemplate): Cause[] {
  const causes = validateSelectors("selectors", resource.selectors, OPTIONAL_SERVICE_REQUIRED);
  (resource.conf?.imports ?? []).forEach((profile, i) => {
    const field = fieldPath.index("conf.imports", i);
    if (profile === "") causes.push({ field, message: "cannot be empty" });
    else if (!PROXY_TEMPLATE_PROFILES.includes(profile)) {
      // Joined without a space, as Kuma 0.4 wrote the list.
      causes.push({ field, message: `profile not found. Available profiles: ${PROXY_TEMPLATE_PROFILES.join(",")}` });
    }
  });
  (resource.conf?.resources ?? []).forEach((raw, i) => {
    const path = fieldPath.index("conf.resources", i);
    if (!raw.name) causes.push({ field: fieldPath.field(path, "name"), message: "cannot be empty" });
    if (!raw.version) causes.push({ field: fieldPath.field(path, "version"), message: "cannot be empty" });
    if (!raw.resource) {
      causes.push({ field: fieldPath.field(path, "resource"), message: "cannot be empty" });
    } else {
      const reason = envoyResourceError(raw.resource);
      if (reason !== undefined) {
        causes.push({ field: fieldPath.field(path, "resource"), message: `native Envoy resource is not valid: ${reason}` });
      }
    }
  });
  return causes;
}
