/** The policy types that inspection decides on, and a mesh's policies grouped by type. */
import {
  HealthCheckType,
  ProxyTemplateType,
  TrafficLogType,
  TrafficPermissionType,
  TrafficRouteType,
  TrafficTraceType,
  type ResourceOf,
} from "../registry.js";

/** Every policy type, in the registry's order. */
export const policyTypes = [
  HealthCheckType,
  ProxyTemplateType,
  TrafficPermissionType,
  TrafficLogType,
  TrafficRouteType,
  TrafficTraceType,
] as const;

/** The registry entry of a policy type. */
export type PolicyType = (typeof policyTypes)[number];

/** `"TrafficRoute"`, ... */
export type PolicyTypeName = PolicyType["name"];

/** Any policy. */
export type Policy = ResourceOf<PolicyType>;

/** The policy of a given type name. */
export type PolicyOf<N extends PolicyTypeName> = Extract<Policy, { readonly type: N }>;

/** The stored policies of one mesh, by type (each list in any order). */
export type MeshPolicies = { readonly [N in PolicyTypeName]: readonly PolicyOf<N>[] };
