/**
 * B-koa: the ceiling of the mandated stack. A Koa app with no middleware
 * but one handler, answering the bytes stored under the request URL (one
 * Map lookup) and storing a PUT body as is (one Map set): what any Koa API
 * pays before its own code runs.
 *
 * With `router`, the same handler is reached through @koa/router with the
 * API's route table (every template of http-api.md, one layer each): what
 * the routing of the mandated stack adds.
 *
 *   node koa-server.js <port> [router]
 *
 *   GET <url> → 200 with the bytes a PUT stored there; `/` → 200 `{}`
 *   PUT <url> → stores the body bytes, 200 `{}`
 */
import type { IncomingMessage } from "node:http";
import Router from "@koa/router";
import Koa, { type Middleware } from "koa";
import { resourceTypes } from "@kuma-ts/model";

const port = Number(process.argv[2]);
const routed = process.argv[3] === "router";
const JSON_TYPE = "application/json; charset=utf-8";
const bytes = new Map<string, Buffer>();

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const handler: Middleware = async (ctx) => {
  ctx.type = JSON_TYPE;
  if (ctx.method === "GET") {
    const stored = bytes.get(ctx.url);
    if (stored !== undefined) ctx.body = stored;
    else if (ctx.url === "/") ctx.body = "{}";
    else {
      ctx.status = 404;
      ctx.body = "{}";
    }
  } else if (ctx.method === "PUT") {
    bytes.set(ctx.url, await readBody(ctx.req));
    ctx.body = "{}";
  } else {
    ctx.status = 405;
    ctx.body = "{}";
  }
};

/** The API's route templates in path-to-regexp syntax: info, then list and item of every type, then the overviews. */
function apiTemplates(): string[] {
  const collections = resourceTypes.map((type) => (type.scope === "global" ? `/${type.path}` : `/meshes/:mesh/${type.path}`));
  return [
    "/",
    "/config",
    "/catalog",
    ...collections.flatMap((collection) => [collection, `${collection}/:name`]),
    "/meshes/:mesh/dataplanes\\+insights",
    "/meshes/:mesh/dataplanes\\+insights/:name",
  ];
}

const app = new Koa();
if (routed) {
  const router = new Router();
  for (const template of apiTemplates()) router.register(template, ["GET", "PUT", "DELETE"], handler);
  app.use(router.routes());
} else {
  app.use(handler);
}
app.listen(port, "127.0.0.1");
