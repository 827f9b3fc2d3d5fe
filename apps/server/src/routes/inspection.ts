/**
 * Inspection (inspection.md §2, §3): which policies apply to a dataplane,
 * and where a policy applies. The model decides; these handlers read what
 * is stored now (nothing is kept across requests, so a write is visible to
 * the next inspection on any replica) and write the answer.
 */
import {
  DataplaneInspection,
  DataplaneType,
  PolicyDataplanes,
  MeshType,
  TrafficRouteType,
  inspectDataplane,
  policyAttachments,
  policyTypes,
  type MeshPolicies,
  type PolicyAttachment,
  type PolicyRivals,
  type PolicyType,
} from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { Type } from "@sinclair/typebox";
import { checkAccept } from "../http/accept.js";
import { notFound, Title } from "../http/api-error.js";
import type { Authorizer } from "../auth/authorizer.js";
import type { Handler } from "../http/context.js";
import type { RouteDefinition } from "../http/routing.js";
import { badPage, errorResponse, listAnswer, pageQuery } from "../openapi/common-docs.js";
import { nextPageUrl, parsePageRequest } from "./paging.js";
import { writeJson, writeList } from "./respond.js";
import { couldExist } from "./url-names.js";

/** `…/dataplanes/{name}/policies`, and `…/{collection}/{name}/dataplanes` for every policy type. */
export function inspectionRoutes(store: ResourceStore, authorizer: Authorizer): RouteDefinition[] {
  return [
    {
      template: "/meshes/{mesh}/dataplanes/{name}/policies",
      handlers: { GET: dataplanePoliciesHandler(store, authorizer) },
      docs: {
        GET: {
          operationId: "inspectDataplane",
          summary: "The policies that apply to a dataplane, by attachment",
          description:
            "One item for the dataplane, one per inbound and outbound in spec order, one per reachable service; " +
            "each with the stored policies that apply there and their effect. Never paged (`next` is null).",
          tag: "Inspection",
          pathParameters: { name: "The name of the dataplane." },
          query: [
            {
              name: "explain",
              description: "`true`: each item also lists every candidate policy with its rank, the winner first.",
              schema: Type.String(),
            },
          ],
          responses: {
            200: { description: "Every attachment of the dataplane.", body: { name: "DataplaneInspection", schema: DataplaneInspection } },
            404: errorResponse("No such dataplane in this mesh."),
          },
        },
      },
    },
    ...policyTypes.map((type) => ({
      template: `/meshes/{mesh}/${type.path}/{name}/dataplanes`,
      handlers: { GET: policyDataplanesHandler(type, store, authorizer) },
      docs: {
        GET: {
          operationId: `inspect${type.name}`,
          summary: `The dataplanes a ${type.name} applies to, with the attachments where it applies`,
          description:
            "Only dataplanes with at least one attachment, sorted by name. " +
            (type.name === "TrafficPermission" ? "Every inbound it matches is listed." : "Only attachments where it wins are listed."),
          tag: "Inspection",
          pathParameters: { name: `The name of the ${type.name}.` },
          query: pageQuery,
          responses: {
            200: listAnswer({ name: "PolicyDataplanes", schema: PolicyDataplanes }, "The dataplanes"),
            400: badPage,
            404: errorResponse(`No such ${type.name} in this mesh.`),
          },
        },
      },
    })),
  ];
}

/**
 * An inspection reads more than the resource it names, so it needs `get` on
 * that resource and `list` on every type it reads (the Mesh: `get`).
 */
function dataplanePoliciesHandler(store: ResourceStore, authorizer: Authorizer): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.inspectDataplane;
    const { mesh = "", name = "" } = ctx.params;
    for (const type of policyTypes) authorizer.require(ctx, "list", type.name, mesh);
    authorizer.require(ctx, "get", MeshType.name, mesh, mesh);
    authorizer.require(ctx, "get", DataplaneType.name, mesh, name);
    checkAccept(ctx.get("Accept"));
    if (!couldExist(mesh, name)) throw notFound(Title.inspectDataplane);
    // All reads at once: one round trip to Redis rather than one per read.
    const [dataplane, meshResource, ...lists] = await Promise.all([
      store.get(DataplaneType, mesh, name),
      store.get(MeshType, undefined, mesh),
      ...policyTypes.map((type) => store.list(type, mesh)),
    ]);
    if (!dataplane) throw notFound(Title.inspectDataplane);
    const policies = Object.fromEntries(
      policyTypes.map((type, i) => [type.name, lists[i]!.items.map((item) => item.resource)]),
    ) as unknown as MeshPolicies;
    const inspection = inspectDataplane({
      dataplane: dataplane.resource,
      mesh: meshResource?.resource,
      policies,
      explain: ctx.query.explain === "true",
    });
    writeJson(ctx, 200, JSON.stringify(inspection));
  };
}

function policyDataplanesHandler(type: PolicyType, store: ResourceStore, authorizer: Authorizer): Handler {
  // A HealthCheck applies to the services the routes reach: its rivals include the mesh's routes.
  const rivalTypes: PolicyType[] = type.name === "HealthCheck" ? [type, TrafficRouteType] : [type];
  return async (ctx) => {
    ctx.state.operation = Title.inspectPolicy;
    const { mesh = "", name = "" } = ctx.params;
    authorizer.require(ctx, "list", DataplaneType.name, mesh);
    for (const rival of rivalTypes) authorizer.require(ctx, "list", rival.name, mesh);
    authorizer.require(ctx, "get", type.name, mesh, name);
    checkAccept(ctx.get("Accept"));
    const page = parsePageRequest(ctx.query);
    if (!couldExist(mesh, name)) throw notFound(Title.inspectPolicy);
    const [policy, ...lists] = await Promise.all([
      store.get(type, mesh, name),
      ...rivalTypes.map((rival) => store.list(rival, mesh)),
    ]);
    if (!policy) throw notFound(Title.inspectPolicy);
    const rivals = Object.fromEntries(
      rivalTypes.map((rival, i) => [rival.name, lists[i]!.items.map((item) => item.resource)]),
    ) as PolicyRivals;
    const where = policyAttachments(policy.resource, rivals);
    // Every dataplane is evaluated (the total needs them all); the page keeps the attachments of its own.
    const attachments = new Map<string, PolicyAttachment[]>();
    const result = await store.list(DataplaneType, mesh, {
      ...page,
      filter: (dataplane) => {
        const found = where(dataplane);
        if (found.length > 0) attachments.set(dataplane.name, found);
        return found.length > 0;
      },
    });
    const items = result.items.map(({ resource: dataplane }) =>
      JSON.stringify({
        dataplane: { mesh: dataplane.mesh, name: dataplane.name },
        attachments: attachments.get(dataplane.name),
      }),
    );
    const next =
      result.nextOffset === undefined ? null : nextPageUrl(ctx, result.nextOffset, page.size);
    writeList(ctx, result.total, items, next);
  };
}
