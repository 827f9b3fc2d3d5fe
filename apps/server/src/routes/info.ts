/** The index, `/config` and `/catalog` (http-api.md §8): computed once, served as is (the catalog's `openapi` URL per request). */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Catalog, catalogOf, configToJson, ServerConfig } from "@kuma-ts/model";
import { Type } from "@sinclair/typebox";
import { requireAllowed } from "../auth/authorizer.js";
import { checkAccept } from "../http/accept.js";
import type { ApiContext } from "../http/context.js";
import { errorResponse } from "../openapi/common-docs.js";
import type { RouteDefinition } from "../http/routing.js";
import type { OperationDocs } from "../openapi/route-docs.js";
import { serverVersion } from "../version.js";
import { writeJson } from "./respond.js";

let instanceId: string | undefined;

/** The id of this server process, shown by the index: `<hostname>-<random>`. */
export function processInstanceId(): string {
  instanceId ??= `${hostname()}-${randomBytes(3).toString("hex")}`;
  return instanceId;
}

/** The body of `GET /`. */
export const IndexBody = Type.Object(
  {
    tagline: Type.Literal("Kuma", { description: "Always `Kuma` (kumactl checks it)." }),
    version: Type.String({ description: "The version of the server." }),
    hostname: Type.String(),
    instanceId: Type.String({ description: "The id of this server process." }),
  },
  { additionalProperties: false },
);

const CONTROL_PLANE = "Control plane";

/** Routes whose answer depends only on the configuration. */
export function infoRoutes(config: ServerConfig): RouteDefinition[] {
  const staticRoute = (
    template: string,
    json: string,
    docs: OperationDocs,
    guard?: (ctx: ApiContext) => void,
  ): RouteDefinition => ({
    template,
    handlers: {
      GET: (ctx) => {
        guard?.(ctx);
        checkAccept(ctx.get("Accept"));
        writeJson(ctx, 200, json);
      },
    },
    docs: { GET: docs },
  });
  const index = JSON.stringify({
    tagline: "Kuma",
    version: serverVersion(),
    hostname: hostname(),
    instanceId: processInstanceId(),
  });
  const catalog = catalogOf(config);
  return [
    staticRoute("/", index, {
      operationId: "getIndex",
      summary: "Which control plane this is",
      tag: CONTROL_PLANE,
      responses: { 200: { description: "The index.", body: { name: "Index", schema: IndexBody } } },
    }),
    staticRoute("/config", configToJson(config), {
      operationId: "getConfig",
      summary: "The effective configuration, secrets redacted",
      tag: CONTROL_PLANE,
      description:
        "Compact JSON with keys sorted at every level; every secret reads `*****`; durations are Go style (`\"5s\"`). Guarded by `access.static.controlPlaneMetadata`.",
      responses: {
        200: { description: "The configuration.", body: { name: "ServerConfig", schema: ServerConfig } },
        401: errorResponse("The Bearer token is invalid."),
        403: errorResponse("The caller is not in `access.static.controlPlaneMetadata`."),
      },
    }, (ctx) => requireAllowed(ctx, config.access.static.controlPlaneMetadata, "access control-plane metadata")),
    {
      template: "/catalog",
      handlers: {
        GET: (ctx) => {
          checkAccept(ctx.get("Accept"));
          // The document's URL is on the address the client used (as `next` URLs are); the rest is from the configuration.
          const apiUrl = `${ctx.protocol}://${ctx.host || "localhost"}`;
          const apis = { ...catalog.apis, openapi: catalogOf(config, apiUrl).apis.openapi };
          writeJson(ctx, 200, JSON.stringify({ apis }));
        },
      },
      docs: {
        GET: {
          operationId: "getCatalog",
          summary: "The URLs of the control plane's other APIs, and of this API's OpenAPI document",
          tag: CONTROL_PLANE,
          responses: { 200: { description: "The catalog.", body: { name: "Catalog", schema: Catalog } } },
        },
      },
    },
  ];
}
