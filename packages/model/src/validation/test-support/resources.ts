/** Builds resources for validation tests from their wire JSON, so tests exercise the real decoded form. */
import { parseResource } from "../../codec/resource-codec.js";
import type { ResourceOf, ResourceType } from "../../registry.js";

/** Decodes `spec` (the spec fields of the wire form) as a resource of `type` named `x` in mesh `default`. */
export function decodeSpec<T extends ResourceType>(type: T, spec: Record<string, unknown>): ResourceOf<T> {
  const meta = type.scope === "mesh" ? { type: type.name, mesh: "default", name: "x" } : { type: type.name, name: "x" };
  return parseResource(type, JSON.stringify({ ...meta, ...spec }));
}
