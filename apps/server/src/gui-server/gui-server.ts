/**
 * The web GUI's server on `guiServer.port` (gui.md §2): `/api/*` proxied to
 * the API, `/config` for the GUI, the build's assets with long caching, and
 * `index.html` for every other path (the GUI routes in the browser).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import { createApiProxy } from "./api-proxy.js";
import { createStaticFiles, type StaticFile } from "./static-files.js";

/** What the GUI server needs. */
export interface GuiServerOptions {
  /** The API server to proxy `/api/*` to, e.g. `http://127.0.0.1:5681`. */
  readonly apiUrl: string;
  /** The folder of the GUI's build (`index.html`, `assets/`). */
  readonly staticDir: string;
  /** `environment` of the configuration, shown by the GUI. */
  readonly environment: string;
  readonly logger?: Logger;
}

/** Sent with every response that is not the API's: the GUI loads nothing from elsewhere. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy":
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
};

const JSON_TYPE = "application/json; charset=utf-8";
const READ_METHODS = "GET, HEAD";

/** Creates (does not start) the GUI's HTTP server. */
export function createGuiServer(options: GuiServerOptions): http.Server {
  const proxy = createApiProxy(options.apiUrl);
  const files = createStaticFiles(options.staticDir);
  const guiConfig = JSON.stringify({ apiUrl: "/api", environment: options.environment });

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    if (url === "/api" || url.startsWith("/api/") || url.startsWith("/api?")) {
      proxy(req, res);
      return;
    }
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
    const pathname = url.split("?")[0] ?? "/";
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", READ_METHODS);
      sendJson(res, 405, {
        title: "Method not allowed",
        details: `${req.method} is not supported on this path`,
      });
      return;
    }
    if (pathname === "/config") {
      res.setHeader("Cache-Control", "no-cache");
      sendText(res, 200, JSON_TYPE, guiConfig);
      return;
    }
    if (pathname.startsWith("/assets/") || pathname === "/favicon.png") {
      const file = await files.get(decodeSafely(pathname.slice(1)));
      if (file) sendFile(req, res, file);
      else sendJson(res, 404, { title: "Not found", details: "no such file" });
      return;
    }
    const index = await files.get("index.html");
    if (!index) {
      sendJson(res, 503, { title: "GUI not available", details: "the GUI's files are not built" });
      return;
    }
    sendFile(req, res, index);
  };

  return http.createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      options.logger?.error({ err: error, url: req.url }, "the GUI server failed to answer");
      if (res.headersSent) res.destroy();
      else
        sendJson(res, 500, { title: "Could not serve the GUI", details: "Internal Server Error" });
    });
  });
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: StaticFile): void {
  res.setHeader(
    "Cache-Control",
    file.immutable ? "public, max-age=31536000, immutable" : "no-cache",
  );
  res.setHeader("ETag", file.etag);
  if (file.gzipped) res.setHeader("Vary", "Accept-Encoding");
  if (req.headers["if-none-match"] === file.etag) {
    res.writeHead(304).end();
    return;
  }
  const gzip =
    file.gzipped !== undefined && /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
  if (gzip) res.setHeader("Content-Encoding", "gzip");
  sendText(res, 200, file.contentType, gzip ? file.gzipped! : file.body);
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: { title: string; details: string },
): void {
  sendText(res, status, JSON_TYPE, JSON.stringify(body));
}

function sendText(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** `%2F` and friends decoded; a malformed escape leaves the path as it is (then it names no file). */
function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
