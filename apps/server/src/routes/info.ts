/** The index, `/config` and `/catalog` (http-api.md §8): computed once, served as is. */
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { catalogOf, configToJson, type ServerConfig } from "@kuma-ts/model";
import { checkAccept } from "../http/accept.js";
import type { RouteDefinition } from "../http/routing.js";
import { serverVersion } from "../version.js";
import { writeJson } from "./respond.js";

let instanceId: string | undefined;

/** The id of this server process, shown by the index: `<hostname>-<random>`. */
export function processInstanceId(): string {
  instanceId ??= `${hostname()}-${randomBytes(3).toString("hex")}`;
  return instanceId;
}

/** Routes whose answer depends only on the configuration. */
export function infoRoutes(config: ServerConfig): RouteDefinition[] {
  const staticRoute = (template: string, json: string): RouteDefinition => ({
    template,
    handlers: {
      GET: (ctx) => {
        checkAccept(ctx.get("Accept"));
        writeJson(ctx, 200, json);
      },
    },
  });
  const index = JSON.stringify({
    tagline: "Kuma",
    version: serverVersion(),
    hostname: hostname(),
    instanceId: processInstanceId(),
  });
  return [
    staticRoute("/", index),
    staticRoute("/config", configToJson(config)),
    staticRoute("/catalog", JSON.stringify(catalogOf(config))),
  ];
}
