/**
 * The registry of resource types: one table from which the server's routes,
 * the store's key spaces, the client's methods and the CLI's commands are
 * derived. Adding a resource type is one entry here plus its schema and
 * validator.
 */
import type { Static, TObject } from "@sinclair/typebox";
import type { Cause } from "./errors.js";
import { Dataplane } from "./resources/dataplane.js";
import { DataplaneInsight } from "./resources/dataplane-insight.js";
import { HealthCheck } from "./resources/health-check.js";
import { Mesh } from "./resources/mesh.js";
import { applyMeshDefaults } from "./resources/mesh-defaults.js";
import { ProxyTemplate } from "./resources/proxy-template.js";
import { TrafficLog } from "./resources/traffic-log.js";
import { TrafficPermission } from "./resources/traffic-permission.js";
import { TrafficRoute } from "./resources/traffic-route.js";
import { TrafficTrace } from "./resources/traffic-trace.js";
import { validateDataplane } from "./validation/dataplane.js";
import { validateHealthCheck } from "./validation/health-check.js";
import { validateMesh } from "./validation/mesh.js";
import { validateProxyTemplate } from "./validation/proxy-template.js";
import { validateTrafficLog } from "./validation/traffic-log.js";
import { validateTrafficPermission } from "./validation/traffic-permission.js";
import { validateTrafficRoute } from "./validation/traffic-route.js";
import { validateTrafficTrace } from "./validation/traffic-trace.js";

/** Where a resource lives: `global` (a Mesh) or inside one mesh. */
export type ResourceScope = "global" | "mesh";

/** Everything the rest of the system needs to know about one resource type. */
export interface ResourceType<S extends TObject = TObject> {
  /** The wire `type` (`"TrafficRoute"`); also the kind kumactl names in messages. */
  readonly name: Static<S>["type"] & string;
  /** The kind in plural form, for messages such as `failed to list TrafficRoutes`. */
  readonly pluralName: string;
  readonly scope: ResourceScope;
  /** The collection path segment: `/meshes/{mesh}/{path}/{name}` (`meshes` for Mesh). */
  readonly path: string;
  /** kumactl's names for the type, or undefined when kumactl has no command for it. */
  readonly kumactl: { readonly singular: string; readonly plural: string } | undefined;
  /** The flat wire schema: meta fields, then the spec's fields. */
  readonly schema: S;
  // Declared as methods so that every entry is assignable to ResourceType<TObject>.
  /** Defaults applied on create and update, before validation. */
  applyDefaults(resource: Static<S>): Static<S>;
  /** Semantic validation: the causes in the order of resources.md, empty when valid. */
  validate(resource: Static<S>): Cause[];
}

const unchanged = <T>(resource: T): T => resource;

function defineResourceType<S extends TObject>(type: ResourceType<S>): ResourceType<S> {
  return Object.freeze(type);
}

export const MeshType = defineResourceType({
  name: "Mesh",
  pluralName: "Meshes",
  scope: "global",
  path: "meshes",
  kumactl: { singular: "mesh", plural: "meshes" },
  schema: Mesh,
  applyDefaults: applyMeshDefaults,
  validate: validateMesh,
});

export const DataplaneType = defineResourceType({
  name: "Dataplane",
  pluralName: "Dataplanes",
  scope: "mesh",
  path: "dataplanes",
  kumactl: { singular: "dataplane", plural: "dataplanes" },
  schema: Dataplane,
  applyDefaults: unchanged,
  validate: validateDataplane,
});

export const DataplaneInsightType = defineResourceType({
  name: "DataplaneInsight",
  pluralName: "DataplaneInsights",
  scope: "mesh",
  path: "dataplane-insights",
  kumactl: undefined,
  schema: DataplaneInsight,
  applyDefaults: unchanged,
  validate: () => [], // schema only (resources.md §4.3)
});

export const HealthCheckType = defineResourceType({
  name: "HealthCheck",
  pluralName: "HealthChecks",
  scope: "mesh",
  path: "health-checks",
  kumactl: { singular: "healthcheck", plural: "healthchecks" },
  schema: HealthCheck,
  applyDefaults: unchanged,
  validate: validateHealthCheck,
});

export const ProxyTemplateType = defineResourceType({
  name: "ProxyTemplate",
  pluralName: "ProxyTemplates",
  scope: "mesh",
  path: "proxytemplates",
  kumactl: { singular: "proxytemplate", plural: "proxytemplates" },
  schema: ProxyTemplate,
  applyDefaults: unchanged,
  validate: validateProxyTemplate,
});

export const TrafficPermissionType = defineResourceType({
  name: "TrafficPermission",
  pluralName: "TrafficPermissions",
  scope: "mesh",
  path: "traffic-permissions",
  kumactl: { singular: "traffic-permission", plural: "traffic-permissions" },
  schema: TrafficPermission,
  applyDefaults: unchanged,
  validate: validateTrafficPermission,
});

export const TrafficLogType = defineResourceType({
  name: "TrafficLog",
  pluralName: "TrafficLogs",
  scope: "mesh",
  path: "traffic-logs",
  kumactl: { singular: "traffic-log", plural: "traffic-logs" },
  schema: TrafficLog,
  applyDefaults: unchanged,
  validate: validateTrafficLog,
});

export const TrafficRouteType = defineResourceType({
  name: "TrafficRoute",
  pluralName: "TrafficRoutes",
  scope: "mesh",
  path: "traffic-routes",
  kumactl: { singular: "traffic-route", plural: "traffic-routes" },
  schema: TrafficRoute,
  applyDefaults: unchanged,
  validate: validateTrafficRoute,
});

export const TrafficTraceType = defineResourceType({
  name: "TrafficTrace",
  pluralName: "TrafficTraces",
  scope: "mesh",
  path: "traffic-traces",
  kumactl: { singular: "traffic-trace", plural: "traffic-traces" },
  schema: TrafficTrace,
  applyDefaults: unchanged,
  validate: validateTrafficTrace,
});

/** Every stored resource type, Mesh first, then the mesh-scoped ones in the API's order. */
export const resourceTypes = [
  MeshType,
  DataplaneType,
  DataplaneInsightType,
  HealthCheckType,
  ProxyTemplateType,
  TrafficPermissionType,
  TrafficLogType,
  TrafficRouteType,
  TrafficTraceType,
] as const;

/** Any entry of the registry. */
export type AnyResourceType = (typeof resourceTypes)[number];

/** Any stored resource. */
export type Resource = Static<AnyResourceType["schema"]>;

/** The name of a stored resource type (`"Mesh"`, `"Dataplane"`, ...). */
export type ResourceTypeName = AnyResourceType["name"];

/** The resource of a given registry entry. */
export type ResourceOf<T extends ResourceType> = Static<T["schema"]>;

/** The mesh-scoped types, in the API's order. */
export const meshScopedTypes = resourceTypes.filter((t) => t.scope === "mesh");

const byName = new Map<string, AnyResourceType>(resourceTypes.map((t) => [t.name, t]));
const byPath = new Map<string, AnyResourceType>(resourceTypes.map((t) => [t.path, t]));

/** The registry entry of a wire `type`, or undefined. */
export function resourceTypeByName(name: string): AnyResourceType | undefined {
  return byName.get(name);
}

/** The registry entry of a collection path segment (`dataplanes`), or undefined. */
export function resourceTypeByPath(path: string): AnyResourceType | undefined {
  return byPath.get(path);
}

/** The mesh a resource belongs to: its `mesh`, or its own name for a Mesh. */
export function meshOf(resource: Resource): string {
  return resource.type === "Mesh" ? resource.name : resource.mesh;
}
