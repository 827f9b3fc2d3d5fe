/**
 * The bodies of the inspection endpoints (inspection.md §2, §3), defined
 * once: the server builds them, the client checks and types them, kumactl
 * prints them.
 */
import {
  Type,
  type Static,
  type TArray,
  type TOptional,
  type TProperties,
  type TSchema,
} from "@sinclair/typebox";
import { HealthCheck } from "../resources/health-check.js";
import { ResourceList } from "../resources/list.js";
import { ProxyTemplate } from "../resources/proxy-template.js";
import { TrafficLog } from "../resources/traffic-log.js";
import { TrafficPermission } from "../resources/traffic-permission.js";
import { TrafficRoute, WeightedDestination } from "../resources/traffic-route.js";
import { TrafficTrace } from "../resources/traffic-trace.js";
import type { PolicyTypeName } from "./policies.js";

const Closed = { additionalProperties: false } as const;
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** R4: how many of a selector's values are exact and how many are `*` (a route's source and destination added up). */
export const InspectionRank = Type.Object(
  { exact: Type.Integer({ minimum: 0 }), wildcard: Type.Integer({ minimum: 0 }) },
  Closed,
);
export type InspectionRank = Static<typeof InspectionRank>;

/** One candidate policy of an attachment, with `?explain=true`: the winner first (`selected`); TrafficPermissions have no rank. */
export const InspectionCandidate = Type.Object(
  {
    name: Type.String(),
    rank: Type.Optional(InspectionRank),
    creationTime: Type.Optional(Type.String()),
    selected: Type.Boolean(),
  },
  Closed,
);
export type InspectionCandidate = Static<typeof InspectionCandidate>;

/** An object with an optional list per policy type name, of the given item schema. */
const ListsByPolicyType = <T extends Record<PolicyTypeName, TSchema>>(items: T) =>
  Type.Object(
    Object.fromEntries(
      Object.entries(items).map(([type, item]) => [type, Type.Optional(Type.Array(item))]),
    ) as { [N in PolicyTypeName]: TOptional<TArray<T[N]>> },
    Closed,
  );

/** The stored policies that apply at an attachment, by type name; a key is present only with a non-empty list, sorted by name. */
export const MatchedPolicies = ListsByPolicyType({
  HealthCheck,
  ProxyTemplate,
  TrafficLog,
  TrafficPermission,
  TrafficRoute,
  TrafficTrace,
});
export type MatchedPolicies = Static<typeof MatchedPolicies>;

/** Every candidate of an attachment, by type name, in decision order. */
export const InspectionCandidates = ListsByPolicyType({
  HealthCheck: InspectionCandidate,
  ProxyTemplate: InspectionCandidate,
  TrafficLog: InspectionCandidate,
  TrafficPermission: InspectionCandidate,
  TrafficRoute: InspectionCandidate,
  TrafficTrace: InspectionCandidate,
});
export type InspectionCandidates = Static<typeof InspectionCandidates>;

/** The route of an outbound: the winning TrafficRoute's `conf` verbatim, or the implicit default route. */
export const EffectiveRoute = Type.Object(
  { implicit: Type.Boolean(), conf: Type.Array(WeightedDestination) },
  Closed,
);
export type EffectiveRoute = Static<typeof EffectiveRoute>;

/**
 * An item of an inspection: the attachment (`type`, and for all but the
 * dataplane its `name` and `service`), what applies there, its effect, and
 * with `?explain=true` the candidates.
 */
const InspectionItemOf = <T extends string, P extends TProperties, E extends TProperties>(
  type: T,
  attachment: P,
  effective: E,
) =>
  Type.Object(
    {
      type: Type.Literal(type),
      ...attachment,
      matchedPolicies: MatchedPolicies,
      effective: Type.Object(effective, Closed),
      candidates: Type.Optional(InspectionCandidates),
    },
    Closed,
  );

const Named = { name: Type.String(), service: Type.String() };

/** The dataplane as a whole: TrafficTrace and ProxyTemplate. */
export const InspectionDataplaneItem = InspectionItemOf(
  "dataplane",
  {},
  {
    /** The resolved tracing backend; null without a TrafficTrace or when its backend does not resolve. */
    tracingBackend: Nullable(Type.String()),
    /** The winning ProxyTemplate; null for the built-in default (`imports: [default-proxy]`). */
    proxyTemplate: Nullable(Type.String()),
  },
);
export type InspectionDataplaneItem = Static<typeof InspectionDataplaneItem>;

/** One inbound (`IP:port:servicePort`): TrafficPermission. */
export const InspectionInboundItem = InspectionItemOf("inbound", Named, {
  /** Whether permissions are enforced (the mesh's mTLS). */
  rbac: Type.Boolean(),
  /** The peers the matched permissions allow, sorted; `*` is any peer, `[]` under RBAC is deny-all. */
  allowedSources: Type.Array(Type.String()),
});
export type InspectionInboundItem = Static<typeof InspectionInboundItem>;

/** One outbound (`IP:port`): TrafficRoute and TrafficLog. */
export const InspectionOutboundItem = InspectionItemOf("outbound", Named, {
  route: EffectiveRoute,
  /** The resolved log backend; null without a TrafficLog or when its backend does not resolve. */
  logBackend: Nullable(Type.String()),
});
export type InspectionOutboundItem = Static<typeof InspectionOutboundItem>;

/** One service reachable through the outbounds' routes: HealthCheck. */
export const InspectionServiceItem = InspectionItemOf("service", Named, {});
export type InspectionServiceItem = Static<typeof InspectionServiceItem>;

/** One attachment of a dataplane with what applies there. */
export const InspectionItem = Type.Union([
  InspectionDataplaneItem,
  InspectionInboundItem,
  InspectionOutboundItem,
  InspectionServiceItem,
]);
export type InspectionItem = Static<typeof InspectionItem>;

/** `GET /meshes/{mesh}/dataplanes/{name}/policies`: every attachment, in order; never paged (`next` is null). */
export const DataplaneInspection = Type.Object(
  { total: Type.Integer({ minimum: 0 }), items: Type.Array(InspectionItem), next: Type.Null() },
  Closed,
);
export type DataplaneInspection = Static<typeof DataplaneInspection>;

/** An attachment where a policy applies: the dataplane as a whole, or an inbound, outbound or service. */
export const PolicyAttachment = Type.Union([
  Type.Object({ type: Type.Literal("dataplane") }, Closed),
  Type.Object(
    {
      type: Type.Union([
        Type.Literal("inbound"),
        Type.Literal("outbound"),
        Type.Literal("service"),
      ]),
      name: Type.String(),
      service: Type.String(),
    },
    Closed,
  ),
]);
export type PolicyAttachment = Static<typeof PolicyAttachment>;

/** A dataplane a policy applies to, with the attachments where it does (in the order of §2). */
export const PolicyDataplanesItem = Type.Object(
  {
    dataplane: Type.Object({ mesh: Type.String(), name: Type.String() }, Closed),
    attachments: Type.Array(PolicyAttachment),
  },
  Closed,
);
export type PolicyDataplanesItem = Static<typeof PolicyDataplanesItem>;

/** `GET /meshes/{mesh}/{collection}/{name}/dataplanes`: a page, sorted by dataplane name. */
export const PolicyDataplanes = ResourceList(PolicyDataplanesItem);
export type PolicyDataplanes = Static<typeof PolicyDataplanes>;
