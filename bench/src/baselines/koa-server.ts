/**
 * B-koa: the ceiling of the mandated stack. A Koa app with no middleware
 * but one handler, answering the bytes stored under the request URL (one
 * Map lookup) and storing a PUT body as is (one Map set): what any Koa API
 * pays before its own code runs.
 *
 *   node koa-server.js <port>
 *
 *   GET <url> → 200 with the bytes a PUT stored there; `/` → 200 `{}`
 *   PUT <url> → stores the body bytes, 200 `{}`
 */
import type { IncomingMessage } from "node:http";
import Koa from "koa";

const port = Number(process.argv[2]);
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

const app = new Koa();
app.use(async (ctx) => {
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
});
app.listen(port, "127.0.0.1");
