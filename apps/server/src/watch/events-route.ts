/** `GET /meshes/{mesh}/events[?type=T&type=U]`: every change in one mesh, in one stream (watch.md §1). */
import { MeshType, meshScopedTypes, type Cause } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { ApiError, Title } from "../http/api-error.js";
import type { RouteDefinition } from "../http/routing.js";
import { checkWatchRequest, isWatchRequest, serveWatch } from "./serve-watch.js";
import { meshEventsView } from "./views.js";
import type { WatchHub } from "./watch-hub.js";
import type { Authorizer } from "../auth/authorizer.js";
import { Type } from "@sinclair/typebox";
import { errorResponse } from "../openapi/common-docs.js";

/** The template of the mesh's event stream. */
export const EVENTS_TEMPLATE = "/meshes/{mesh}/events";

/** The wire types a mesh's events may be restricted to. */
const MESH_TYPES: ReadonlySet<string> = new Set([
  MeshType.name,
  ...meshScopedTypes.map((type) => type.name),
]);

/** The events route. */
export function eventsRoutes(
  store: ResourceStore,
  authorizer: Authorizer,
  watches: WatchHub,
): RouteDefinition[] {
  return [
    {
      template: EVENTS_TEMPLATE,
      docs: {
        GET: {
          operationId: "watchMeshEvents",
          summary: "Watch every change in one mesh (Server-Sent Events)",
          description:
            "One stream for the Mesh itself and all its resources (or only the wire `type`s named): `retry: 1000`, one `snapshot` event per item, `synced` with a resume token as its id, then `created`/`updated`/`deleted` as the writes happen, in their order, with `: keep-alive` comments. A mesh that does not exist streams nothing until it is created. Resume with `Last-Event-ID` or `since` (no snapshot; `reset` then a full start when the changes are no longer retained). Beyond `apiServer.watch.maxStreams` open watches: 503 `Too many watches`.",
          tag: "Watches",
          query: [
            {
              name: "type",
              description:
                "Only changes of this wire type (`Mesh`, `Dataplane`, `TrafficRoute`...); repeatable.",
              schema: Type.String(),
              repeated: true,
            },
            {
              name: "since",
              description:
                "Resume after this token (an event id, or a list's `Kuma-Resume-Token`); `Last-Event-ID` wins.",
              schema: Type.String(),
            },
          ],
          headers: ["Last-Event-ID"],
          responses: {
            200: {
              description:
                "The event stream. Each event: `id` (a resume token), `event`, and `data` — one line of JSON `{type, mesh, name, version, resource}` (`mesh` omitted for a Mesh, `resource` as a GET answers it, none for `deleted`).",
              mediaType: "text/event-stream",
            },
            400: errorResponse(
              "An unknown `type` (cause `type`), a `since` that is no resume token (cause `since`: `invalid resume token`), paging parameters, or an invalid mesh name.",
            ),
            403: errorResponse(
              "The caller may not watch the named types in this mesh (or any type, none named).",
            ),
          },
        },
      },
      handlers: {
        GET: async (ctx) => {
          ctx.state.operation = Title.retrieveList;
          const mesh = ctx.params.mesh ?? "";
          // The stream is the point of this path: `watch` may be given, and must then be valid.
          isWatchRequest(ctx.query);
          const raw = ctx.query.type;
          const named = raw === undefined ? [] : [raw].flat();
          const unknown = named.filter((type) => !MESH_TYPES.has(type));
          const token = checkWatchRequest(ctx, mesh);
          if (unknown.length > 0) {
            const causes: Cause[] = unknown.map((type) => ({
              field: "type",
              message: `unknown type ${JSON.stringify(type)}`,
            }));
            throw new ApiError(400, Title.retrieveList, "Bad Request", causes);
          }
          // Only what the caller may watch: every named type, or (none named) the types it may watch here.
          for (const type of named) authorizer.require(ctx, "watch", type, mesh);
          let types: Set<string> | undefined = named.length === 0 ? undefined : new Set(named);
          if (!types) {
            const allowed = [...MESH_TYPES].filter((type) =>
              authorizer.can(ctx, "watch", type, mesh),
            );
            if (allowed.length === 0) authorizer.require(ctx, "watch", MeshType.name, mesh);
            if (allowed.length < MESH_TYPES.size) types = new Set(allowed);
          }
          await serveWatch(ctx, watches, meshEventsView(store, mesh, types), token);
        },
      },
    },
  ];
}
