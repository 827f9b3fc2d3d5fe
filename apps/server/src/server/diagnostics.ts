/**
 * The operations server on `diagnostics.port` (http-api.md §9): `/healthy`
 * while the process runs, `/ready` once the store answers and the default
 * mesh is ensured (503 otherwise), `/metrics` in Prometheus text format.
 */
import http, { type ServerResponse } from "node:http";
import type { Logger } from "pino";
import type { ServerMetrics } from "../observability/metrics.js";

/** Why the server is not ready, or undefined when it is. */
export type ReadinessCheck = () => Promise<string | undefined>;

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

const sendJson = (res: ServerResponse, status: number, value: unknown): void =>
  send(res, status, "application/json; charset=utf-8", JSON.stringify(value));

/** Creates (does not start) the diagnostics server. */
export function createDiagnosticsServer(
  metrics: ServerMetrics,
  notReadyBecause: ReadinessCheck,
  logger: Logger,
): http.Server {
  return http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!.replace(/(.)\/$/, "$1");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.setHeader("Allow", "GET, HEAD");
      sendJson(res, 405, { title: "Method not allowed", details: `${req.method} is not supported on this path` });
      return;
    }
    const answer = async (): Promise<void> => {
      switch (path) {
        case "/healthy":
          return sendJson(res, 200, { status: "ok" });
        case "/ready": {
          const reason = await notReadyBecause();
          return reason === undefined
            ? sendJson(res, 200, { status: "ready" })
            : sendJson(res, 503, { status: "not ready", reason });
        }
        case "/metrics": {
          const { contentType, text } = await metrics.scrape();
          return send(res, 200, contentType, text);
        }
        default:
          return sendJson(res, 404, { title: "Not found", details: "no such diagnostics path" });
      }
    };
    answer().catch((error: unknown) => {
      logger.error({ err: error }, "diagnostics request failed");
      if (!res.headersSent) sendJson(res, 500, { title: "Internal Server Error", details: "Internal Server Error" });
      else res.destroy();
    });
  });
}
