/**
 * The routes of every stored resource type, generated from the model's
 * registry: list, get, put and delete — no per-type handler code.
 */
import { isValidName, resourceTypes, type AnyResourceType } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { Type } from "@sinclair/typebox";
import { notFound, Title } from "../http/api-error.js";
import { checkAccept } from "../http/accept.js";
import type { Handler } from "../http/context.js";
import type { RouteDefinition } from "../http/routing.js";
import {
  badPage,
  badWatch,
  errorResponse,
  listAnswer,
  listOf,
  pageQuery,
  watchQuery,
  watchStream,
} from "../openapi/common-docs.js";
import type { OperationDocs, RouteDocs } from "../openapi/route-docs.js";
import type { Authorizer } from "../auth/authorizer.js";
import { deleteHandler } from "./delete-resource.js";
import { nextPageUrl, parsePageRequest } from "./paging.js";
import { putHandler } from "./put-resource.js";
import { writeList, writeResource } from "./respond.js";
import { couldExist } from "./url-names.js";
import { checkWatchRequest, isWatchRequest, serveWatch } from "../watch/serve-watch.js";
import { collectionView } from "../watch/views.js";
import type { WatchHub } from "../watch/watch-hub.js";

/** What the resource routes need. */
export interface ResourceRouteOptions {
  readonly store: ResourceStore;
  readonly maxRequestBodyBytes: number;
  /** Who may do what (auth.md §6). */
  readonly authorizer: Authorizer;
  /** The server's watches (`?watch=true` on lists). */
  readonly watches: WatchHub;
}

/** `/meshes` for Mesh, `/meshes/{mesh}/<path>` for the mesh-scoped types. */
export const collectionTemplate = (type: AnyResourceType): string =>
  type.scope === "global" ? `/${type.path}` : `/meshes/{mesh}/${type.path}`;

/** The list and item routes of every type of the registry. */
export function resourceRoutes(options: ResourceRouteOptions): RouteDefinition[] {
  return resourceTypes.flatMap((type) => [
    {
      template: collectionTemplate(type),
      handlers: { GET: listHandler(type, options.store, options.authorizer, options.watches) },
      docs: { GET: listDocs(type) },
    },
    {
      template: `${collectionTemplate(type)}/{name}`,
      handlers: {
        GET: getHandler(type, options.store, options.authorizer),
        PUT: putHandler(type, options),
        DELETE: deleteHandler(type, options.store, options.authorizer),
      },
      docs: itemDocs(type),
    },
  ]);
}

const EMPTY_OBJECT = Type.Object({}, { additionalProperties: false });

function listDocs(type: AnyResourceType): OperationDocs {
  const where = type.scope === "global" ? "" : " of one mesh (an unknown mesh has none)";
  return {
    operationId: `list${type.pluralName}`,
    summary: `List ${type.pluralName}${where}`,
    tag: type.pluralName,
    query: [...pageQuery, ...watchQuery],
    headers: ["Last-Event-ID"],
    responses: {
      200: {
        ...listAnswer(listOf(type.name, type.schema), `The ${type.pluralName}`),
        headers: ["Kuma-Resume-Token"],
        alsoContent: [watchStream],
      },
      400: { ...badPage, description: badPage.description + badWatch },
    },
  };
}

function itemDocs(type: AnyResourceType): RouteDocs {
  const readOnly = errorResponse("The API server is in read-only mode.", ["Allow"]);
  const conflict = errorResponse("A conditional write lost a race the store cannot decide.");
  const precondition = errorResponse("`If-Match` or `If-None-Match` does not hold.");
  const mesh = type.scope === "mesh" ? " The mesh must exist to create one (400 `Mesh is not found`)." : "";
  return {
    GET: {
      operationId: `get${type.name}`,
      summary: `Get a ${type.name}`,
      tag: type.pluralName,
      headers: ["If-None-Match"],
      responses: {
        200: { description: `The ${type.name}.`, body: { name: type.name, schema: type.schema }, headers: ["ETag"] },
        304: { description: "Unchanged since the ETag in `If-None-Match`.", headers: ["ETag"] },
        404: errorResponse(`No such ${type.name}.`),
      },
    },
    PUT: {
      operationId: `put${type.name}`,
      summary: `Create or replace a ${type.name}`,
      description:
        `The whole resource is replaced (no merge); \`name\`${type.scope === "mesh" ? ", `mesh`" : ""} and \`type\` must match the URL.${mesh}` +
        (type.name === "Mesh" ? " Mesh defaults are applied on create and update." : ""),
      tag: type.pluralName,
      headers: ["If-Match", "If-None-Match-Create"],
      requestBody: {
        description: `The ${type.name}, flat: meta fields and spec fields side by side.`,
        body: { name: `${type.name}Input`, schema: type.schema, mode: "input" },
      },
      responses: {
        200: { description: "Replaced.", body: EMPTY_OBJECT, headers: ["ETag"] },
        201: { description: "Created.", body: EMPTY_OBJECT, headers: ["ETag"] },
        400: errorResponse("The body is malformed, does not match the URL, or the resource is not valid (one cause per violation)."),
        405: readOnly,
        409: conflict,
        412: precondition,
        413: errorResponse("The body is larger than `apiServer.maxRequestBodyBytes`."),
        415: errorResponse("The body is not `application/json`."),
      },
    },
    DELETE: {
      operationId: `delete${type.name}`,
      summary: type.name === "Mesh" ? "Delete a Mesh and every resource in it (atomically)" : `Delete a ${type.name}`,
      tag: type.pluralName,
      headers: ["If-Match"],
      responses: {
        200: { description: "Deleted.", body: EMPTY_OBJECT },
        404: errorResponse(`No such ${type.name}.`),
        405: readOnly,
        409: conflict,
        412: precondition,
      },
    },
  };
}

function getHandler(type: AnyResourceType, store: ResourceStore, authorizer: Authorizer): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.retrieve;
    const { mesh, name = "" } = ctx.params;
    authorizer.require(ctx, "get", type.name, mesh ?? name, name);
    checkAccept(ctx.get("Accept"));
    const stored = couldExist(mesh, name) ? await store.get(type, mesh, name) : undefined;
    if (!stored) throw notFound(Title.retrieve);
    writeResource(ctx, stored.version, stored.json);
  };
}

function listHandler(
  type: AnyResourceType,
  store: ResourceStore,
  authorizer: Authorizer,
  watches: WatchHub,
): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.retrieveList;
    const { mesh } = ctx.params;
    // `GET /meshes` is never refused: it lists the meshes the caller may list or get (auth.md §6).
    // A watch needs `watch` (auth.md §9); a cross-mesh one is filtered to the meshes the caller may watch.
    const watching = isWatchRequest(ctx.query);
    let visible: ((resource: { readonly name: string }) => boolean) | undefined;
    if (mesh === undefined) {
      ctx.state.access = { verb: watching ? "watch" : "list", type: type.name, mesh: null, name: null };
      const meshes = authorizer.meshFilter(ctx, watching ? ["watch"] : ["list", "get"], type.name);
      if (meshes) visible = (resource) => meshes(resource.name);
    } else {
      authorizer.require(ctx, watching ? "watch" : "list", type.name, mesh);
    }
    if (watching) {
      const token = checkWatchRequest(ctx, mesh);
      return serveWatch(ctx, watches, collectionView(store, type, mesh, visible), token);
    }
    checkAccept(ctx.get("Accept"));
    const page = parsePageRequest(ctx.query);
    // A mesh that cannot exist has no resources (and its name never reaches the store).
    if (mesh !== undefined && !isValidName(mesh)) return writeList(ctx, 0, [], null);
    const result = await store.list(type, mesh, {
      ...page,
      ...(visible ? { filter: visible } : {}),
      withToken: true,
    });
    // The moment of this read, for `?watch=true&since=` (watch.md §3).
    if (result.token !== undefined) ctx.set("Kuma-Resume-Token", result.token);
    const next = result.nextOffset === undefined ? null : nextPageUrl(ctx, result.nextOffset, page.size);
    writeList(
      ctx,
      result.total,
      result.items.map((item) => item.json),
      next,
    );
  };
}
