/**
 * B-mem: the physical limit of a Node HTTP server. A bare `node:http`
 * server that answers the bytes stored under the request URL (one Map
 * lookup), stores a PUT body as is (one Map set), and answers a whole
 * collection with `JSON.stringify` of the items it was given.
 *
 *   node mem-server.js <port>
 *
 *   GET  <url>  → 200 with the bytes a PUT stored there, or `JSON.stringify`
 *                 of the list a POST stored there; `/` → 200 `{}`
 *   PUT  <url>  → stores the body bytes, 200 `{}`
 *   POST <url>  → stores the body (a JSON array of items) as a list, 204
 */
import http from "node:http";

const port = Number(process.argv[2]);
const JSON_TYPE = "application/json; charset=utf-8";
const EMPTY = Buffer.from("{}");

const bytes = new Map<string, Buffer>();
const lists = new Map<string, unknown[]>();

function send(res: http.ServerResponse, status: number, body: Buffer | string): void {
  res.writeHead(status, { "Content-Type": JSON_TYPE, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: http.IncomingMessage, done: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => done(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)));
}

http
  .createServer((req, res) => {
    const url = req.url ?? "/";
    switch (req.method) {
      case "GET": {
        const stored = bytes.get(url);
        if (stored !== undefined) return send(res, 200, stored);
        const items = lists.get(url);
        if (items !== undefined) return send(res, 200, JSON.stringify({ total: items.length, items, next: null }));
        return url === "/" ? send(res, 200, EMPTY) : send(res, 404, EMPTY);
      }
      case "PUT":
        return readBody(req, (body) => {
          bytes.set(url, body);
          send(res, 200, EMPTY);
        });
      case "POST":
        return readBody(req, (body) => {
          lists.set(url, JSON.parse(body.toString("utf8")) as unknown[]);
          res.writeHead(204).end();
        });
      default:
        return send(res, 405, EMPTY);
    }
  })
  .listen(port, "127.0.0.1");
