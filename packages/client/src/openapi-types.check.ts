/**
 * Type-level proof, compiled by the package's typecheck (not built, never
 * run), that the types openapi-typescript generates from `GET /openapi.json`
 * (src/generated/kuma-api.d.ts, kept current by openapi-types.test.ts) agree
 * with the types this client exposes: a program written against either reads
 * and writes the same JSON. A change to the model or the document that breaks
 * the agreement fails `pnpm --filter @kuma-ts/client typecheck`.
 */
import type {
  Catalog,
  Dataplane,
  DataplaneInsight,
  DataplaneInspection,
  DataplaneOverview,
  ErrorBody,
  HealthCheck,
  Mesh,
  PolicyDataplanesItem,
  ProxyTemplate,
  TrafficLog,
  TrafficPermission,
  TrafficRoute,
  TrafficTrace,
} from "@kuma-ts/model";
import type { components, operations, paths } from "./generated/kuma-api.js";
import type { IndexInfo, Page } from "./index.js";

type Schemas = components["schemas"];

/** Whether A is assignable to B. */
type Extends<A, B> = [A] extends [B] ? true : false;
/** Whether A and B are assignable both ways. */
type Same<A, B> = [Extends<A, B>, Extends<B, A>] extends [true, true] ? true : false;
/** Compiles only when T is `true`. */
type Assert<T extends true> = T;

/** The JSON body of an operation's answer. */
type JsonAnswer<O, S extends number> = O extends { responses: { [K in S]: { content: { "application/json": infer B } } } }
  ? B
  : never;
/** The JSON request body of an operation. */
type JsonRequest<O> = O extends { requestBody: { content: { "application/json": infer B } } } ? B : never;

/** A list page of the document, as the client's `Page` carries it. */
type PageOf<R> = Pick<Page<R>, "total" | "items" | "next">;

export type Checks = [
  // Every resource the client reads is the generated schema, both ways.
  Assert<Same<Schemas["Mesh"], Mesh>>,
  Assert<Same<Schemas["Dataplane"], Dataplane>>,
  Assert<Same<Schemas["DataplaneInsight"], DataplaneInsight>>,
  Assert<Same<Schemas["HealthCheck"], HealthCheck>>,
  Assert<Same<Schemas["ProxyTemplate"], ProxyTemplate>>,
  Assert<Same<Schemas["TrafficPermission"], TrafficPermission>>,
  Assert<Same<Schemas["TrafficLog"], TrafficLog>>,
  Assert<Same<Schemas["TrafficRoute"], TrafficRoute>>,
  Assert<Same<Schemas["TrafficTrace"], TrafficTrace>>,
  Assert<Same<Schemas["DataplaneOverview"], DataplaneOverview>>,
  Assert<Same<Schemas["DataplaneInspection"], DataplaneInspection>>,
  Assert<Same<Schemas["Error"], ErrorBody>>,
  Assert<Same<Schemas["Catalog"], Catalog>>,
  // Lists: the generated envelope is the client's page without its extras.
  Assert<Same<Schemas["DataplaneList"], PageOf<Dataplane>>>,
  Assert<Same<Schemas["DataplaneOverviewList"], PageOf<DataplaneOverview>>>,
  Assert<Same<Schemas["PolicyDataplanes"], PageOf<PolicyDataplanesItem>>>,
  // The index the generated client reads is one the client's IndexInfo accepts.
  Assert<Extends<Schemas["Index"], IndexInfo>>,
  // What the client PUTs is a body the document accepts.
  Assert<Extends<Mesh, Schemas["MeshInput"]>>,
  Assert<Extends<Dataplane, Schemas["DataplaneInput"]>>,
  Assert<Extends<DataplaneInsight, Schemas["DataplaneInsightInput"]>>,
  Assert<Extends<TrafficRoute, Schemas["TrafficRouteInput"]>>,
  Assert<Extends<HealthCheck, Schemas["HealthCheckInput"]>>,
  // Operations and paths agree with the schemas.
  Assert<Same<JsonAnswer<operations["getDataplane"], 200>, Dataplane>>,
  Assert<Same<JsonAnswer<operations["listMeshes"], 200>, PageOf<Mesh>>>,
  Assert<Same<JsonAnswer<paths["/meshes/{mesh}/traffic-routes/{name}"]["get"], 404>, ErrorBody>>,
  Assert<Extends<TrafficPermission, JsonRequest<paths["/meshes/{mesh}/traffic-permissions/{name}"]["put"]>>>,
];
