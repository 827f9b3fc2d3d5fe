/**
 * The routes of every stored resource type, generated from the model's
 * registry: list, get, put and delete — no per-type handler code.
 */
import { isValidName, resourceTypes, type AnyResourceType } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { notFound, Title } from "../http/api-error.js";
import { checkAccept } from "../http/accept.js";
import type { Handler } from "../http/context.js";
import type { RouteDefinition } from "../http/routing.js";
import { deleteHandler } from "./delete-resource.js";
import { nextPageUrl, parsePageRequest } from "./paging.js";
import { putHandler } from "./put-resource.js";
import { writeList, writeResource } from "./respond.js";
import { couldExist } from "./url-names.js";

/** What the resource routes need. */
export interface ResourceRouteOptions {
  readonly store: ResourceStore;
  readonly maxRequestBodyBytes: number;
}

/** `/meshes` for Mesh, `/meshes/{mesh}/<path>` for the mesh-scoped types. */
export const collectionTemplate = (type: AnyResourceType): string =>
  type.scope === "global" ? `/${type.path}` : `/meshes/{mesh}/${type.path}`;

/** The list and item routes of every type of the registry. */
export function resourceRoutes(options: ResourceRouteOptions): RouteDefinition[] {
  return resourceTypes.flatMap((type) => [
    { template: collectionTemplate(type), handlers: { GET: listHandler(type, options.store) } },
    {
      template: `${collectionTemplate(type)}/{name}`,
      handlers: {
        GET: getHandler(type, options.store),
        PUT: putHandler(type, options),
        DELETE: deleteHandler(type, options.store),
      },
    },
  ]);
}

function getHandler(type: AnyResourceType, store: ResourceStore): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.retrieve;
    checkAccept(ctx.get("Accept"));
    const { mesh, name = "" } = ctx.params;
    const stored = couldExist(mesh, name) ? await store.get(type, mesh, name) : undefined;
    if (!stored) throw notFound(Title.retrieve);
    writeResource(ctx, stored.version, stored.json);
  };
}

function listHandler(type: AnyResourceType, store: ResourceStore): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.retrieveList;
    checkAccept(ctx.get("Accept"));
    const page = parsePageRequest(ctx.query);
    const { mesh } = ctx.params;
    // A mesh that cannot exist has no resources (and its name never reaches the store).
    if (mesh !== undefined && !isValidName(mesh)) return writeList(ctx, 0, [], null);
    const result = await store.list(type, mesh, page);
    const next = result.nextOffset === undefined ? null : nextPageUrl(ctx, result.nextOffset, page.size);
    writeList(
      ctx,
      result.total,
      result.items.map((item) => item.json),
      next,
    );
  };
}
