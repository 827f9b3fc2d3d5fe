/**
 * Inspection (inspection.md): which policies apply to a dataplane, and
 * where a policy applies, by Kuma 0.4's matching rules.
 */
export { decodeDataplaneInspection, decodePolicyDataplanesItem } from "./decode.js";
export { inspectDataplane } from "./inspect-dataplane.js";
export type { DataplaneInspectionInput } from "./inspect-dataplane.js";
export { policyAttachments } from "./policy-dataplanes.js";
export type { PolicyRivals } from "./policy-dataplanes.js";
export { policyTypes } from "./policies.js";
export type { MeshPolicies, Policy, PolicyOf, PolicyType, PolicyTypeName } from "./policies.js";
export * from "./schemas.js";
