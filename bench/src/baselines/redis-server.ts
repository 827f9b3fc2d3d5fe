/**
 * B-redis: the physical limit of Koa + ioredis. A minimal Koa app whose
 * GET is one HGET of the request URL in one hash, and whose PUT is one
 * HSET of the body there. ioredis auto-pipelines, as the Redis store's client does.
 *
 *   node redis-server.js <port> <redis url> <hash key>
 *
 *   GET <url> → 200 with HGET <hash key> <url> (404 when absent); `/` → 200 `{}`
 *   PUT <url> → HSET <hash key> <url> <body>, 200 `{}`
 *   POST <url> with a key of a hash of `<version> <JSON>` records (the Redis store's) → 204;
 *              from then on GET <url> → one HVALS of it, each record's JSON joined into a list
 */
import type { IncomingMessage } from "node:http";
import { Redis } from "ioredis";
import Koa from "koa";

const [portText, redisUrl, hashKey] = process.argv.slice(2) as [string, string, string];
// Auto-pipelining, as the store's own client: the best this stack can do under concurrency.
const redis = new Redis(redisUrl, { enableAutoPipelining: true });
const JSON_TYPE = "application/json; charset=utf-8";
/** URL → the key of a hash of records to answer as a list. */
const lists = new Map<string, string>();

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

const app = new Koa();
app.use(async (ctx) => {
  ctx.type = JSON_TYPE;
  if (ctx.method === "GET") {
    if (ctx.url === "/") {
      ctx.body = "{}";
      return;
    }
    const listKey = lists.get(ctx.url);
    if (listKey !== undefined) {
      const records = await redis.hvals(listKey);
      const items = records.map((record) => record.slice(record.indexOf(" ") + 1));
      ctx.body = `{"total":${items.length},"items":[${items.join(",")}],"next":null}`;
      return;
    }
    const value = await redis.hget(hashKey, ctx.url);
    if (value === null) {
      ctx.status = 404;
      ctx.body = "{}";
      return;
    }
    ctx.body = value;
  } else if (ctx.method === "PUT") {
    await redis.hset(hashKey, ctx.url, await readBody(ctx.req));
    ctx.body = "{}";
  } else if (ctx.method === "POST") {
    lists.set(ctx.url, (await readBody(ctx.req)).toString("utf8"));
    ctx.status = 204;
  } else {
    ctx.status = 405;
    ctx.body = "{}";
  }
});
app.listen(Number(portText), "127.0.0.1");
