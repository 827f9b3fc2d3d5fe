/**
 * The dataplane overview (http-api.md §7): each Dataplane joined with the
 * DataplaneInsight of the same mesh and name. The `tag` filter runs in the
 * store's list, before paging; insights are fetched for the page only.
 */
import {
  DataplaneInsightType,
  DataplaneOverview,
  DataplaneType,
  encodeWire,
  isValidName,
  type Dataplane,
  type DataplaneInsight,
} from "@kuma-ts/model";
import type { ResourceStore, StoredResource } from "@kuma-ts/store";
import { Type } from "@sinclair/typebox";
import type { Authorizer } from "../auth/authorizer.js";
import { checkAccept } from "../http/accept.js";
import { notFound, Title } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import type { RouteDefinition } from "../http/routing.js";
import { badPage, badWatch, errorResponse, listAnswer, listOf, pageQuery, watchQuery, watchStream } from "../openapi/common-docs.js";
import { nextPageUrl, parsePageRequest } from "./paging.js";
import { writeList, writeResource } from "./respond.js";
import { couldExist } from "./url-names.js";
import { checkWatchRequest, isWatchRequest, serveWatch } from "../watch/serve-watch.js";
import { overviewView } from "../watch/views.js";
import type { WatchHub } from "../watch/watch-hub.js";

const OVERVIEW_TAG = "Dataplane overview";

/** The collection template of the overview (the `+` is literal). */
export const OVERVIEW_TEMPLATE = "/meshes/{mesh}/dataplanes+insights";

/** One `tag=<key>:<value>` filter; value `*` matches any value of an existing key. */
export type TagFilter = readonly [key: string, value: string];

/** Reads the `tag` parameters, split on the first `:`; values without `:` are ignored. */
export function parseTagFilters(raw: string | string[] | undefined): TagFilter[] {
  const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return values.flatMap((value): TagFilter[] => {
    const colon = value.indexOf(":");
    return colon === -1 ? [] : [[value.slice(0, colon), value.slice(colon + 1)]];
  });
}

/** Whether one inbound (or the gateway) of the dataplane has every requested tag. */
export function matchesTags(dataplane: Dataplane, filters: readonly TagFilter[]): boolean {
  const networking = dataplane.networking ?? {};
  const tagSets = (networking.inbound ?? []).map((inbound) => inbound?.tags ?? {});
  if (networking.gateway) tagSets.push(networking.gateway.tags ?? {});
  return tagSets.some((tags) =>
    filters.every(([key, value]) => Object.hasOwn(tags, key) && (value === "*" || tags[key] === value)),
  );
}

/** The two overview routes. */
export function overviewRoutes(store: ResourceStore, authorizer: Authorizer, watches: WatchHub): RouteDefinition[] {
  return [
    {
      template: OVERVIEW_TEMPLATE,
      docs: {
        GET: {
          operationId: "listDataplaneOverviews",
          summary: "List the dataplanes of a mesh with their insights",
          description:
            "`tag` filters before paging; insights are read for the page only. An unknown mesh has no dataplanes.",
          tag: OVERVIEW_TAG,
          query: [
            {
              name: "tag",
              description:
                "`<key>:<value>` (split on the first `:`; `*` matches any value of an existing key). A dataplane matches when one of its inbounds, or its gateway, has every requested tag. A value without `:` is ignored.",
              schema: Type.String(),
              repeated: true,
            },
            ...pageQuery,
            ...watchQuery,
          ],
          headers: ["Last-Event-ID"],
          responses: {
            200: {
              ...listAnswer(listOf("DataplaneOverview", DataplaneOverview), "The dataplane overviews"),
              headers: ["Kuma-Resume-Token"],
              alsoContent: [watchStream],
            },
            400: { ...badPage, description: badPage.description + badWatch },
                },
        },
      },
      handlers: {
        GET: async (ctx) => {
          ctx.state.operation = Title.retrieveList;
          const mesh = ctx.params.mesh ?? "";
          authorizer.require(ctx, "list", DataplaneType.name, mesh);
          const rawTags = ctx.query.tag;
          const filters = parseTagFilters(rawTags);
          if (isWatchRequest(ctx.query)) {
            const token = checkWatchRequest(ctx, mesh);
            return serveWatch(ctx, watches, overviewView(store, mesh, filters), token);
          }
          checkAccept(ctx.get("Accept"));
          const page = parsePageRequest(ctx.query);
          if (!isValidName(mesh)) return writeList(ctx, 0, [], null);
          const filter = filters.length > 0 ? (dp: Dataplane) => matchesTags(dp, filters) : undefined;
          const result = await store.list(DataplaneType, mesh, {
            ...page,
            ...(filter ? { filter } : {}),
            withToken: true,
          });
          if (result.token !== undefined) ctx.set("Kuma-Resume-Token", result.token);
          const insights = await store.getMany(
            DataplaneInsightType,
            mesh,
            result.items.map((item) => item.resource.name),
          );
          const items = result.items.map((item, i) => overviewJson(item, insights[i]));
          const tagParams = (rawTags === undefined ? [] : [rawTags].flat()).map((tag) => ["tag", tag] as const);
          const next =
            result.nextOffset === undefined ? null : nextPageUrl(ctx, result.nextOffset, page.size, tagParams);
          writeList(ctx, result.total, items, next);
        },
      },
    },
    {
      template: `${OVERVIEW_TEMPLATE}/{name}`,
      docs: {
        GET: {
          operationId: "getDataplaneOverview",
          summary: "Get a dataplane with its insight",
          description: "`dataplaneInsight` is `{}` when the dataplane has none. The ETag changes with either resource.",
          tag: OVERVIEW_TAG,
          pathParameters: { name: "The name of the dataplane." },
          headers: ["If-None-Match"],
          responses: {
            200: {
              description: "The overview.",
              body: { name: "DataplaneOverview", schema: DataplaneOverview },
              headers: ["ETag"],
            },
            304: { description: "Unchanged since the ETag in `If-None-Match`.", headers: ["ETag"] },
            404: errorResponse("No such dataplane."),
          },
        },
      },
      handlers: {
        GET: async (ctx: ApiContext) => {
          ctx.state.operation = Title.retrieveOverview;
          const { mesh = "", name = "" } = ctx.params;
          authorizer.require(ctx, "get", DataplaneType.name, mesh, name);
          checkAccept(ctx.get("Accept"));
          if (!couldExist(mesh, name)) throw notFound(Title.retrieveOverview);
          const [dataplane, insight] = await Promise.all([
            store.get(DataplaneType, mesh, name),
            store.get(DataplaneInsightType, mesh, name),
          ]);
          if (!dataplane) throw notFound(Title.retrieveOverview);
          // The overview changes with either resource: its ETag carries both versions.
          writeResource(ctx, `${dataplane.version}+${insight?.version ?? "0"}`, overviewJson(dataplane, insight));
        },
      },
    },
  ];
}

/** The overview item of a dataplane, as the API answers it. */
export function overviewJson(
  dataplane: StoredResource<Dataplane>,
  insight: StoredResource<DataplaneInsight> | undefined,
): string {
  const { type: _type, mesh, name, creationTime, modificationTime, ...spec } = dataplane.resource;
  return JSON.stringify(
    encodeWire(DataplaneOverview, {
      type: "DataplaneOverview",
      mesh,
      name,
      ...(creationTime !== undefined ? { creationTime } : {}),
      ...(modificationTime !== undefined ? { modificationTime } : {}),
      dataplane: spec,
      dataplaneInsight: insight ? specOf(insight.resource) : {},
    }),
  );
}

function specOf(insight: DataplaneInsight): Omit<DataplaneInsight, "type" | "mesh" | "name" | "creationTime" | "modificationTime"> {
  const { type: _type, mesh: _mesh, name: _name, creationTime: _created, modificationTime: _modified, ...spec } = insight;
  return spec;
}
