/**
 * The Node HTTP server of the API, hardened from `apiServer.*`: timeouts for
 * headers, whole requests and idle keep-alive connections, a connection cap,
 * and JSON answers even to requests Node cannot parse.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Duplex } from "node:stream";
import type { ServerConfig } from "@kuma-ts/model";
import { durationMillis } from "./durations.js";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Creates (does not start) the API's HTTP server. */
export function createApiHttpServer(config: ServerConfig["apiServer"], listener: RequestListener): http.Server {
  const requestTimeout = durationMillis(config.requestTimeout);
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(durationMillis(config.headersTimeout), requestTimeout);
  const server = http.createServer(
    {
      requestTimeout,
      headersTimeout,
      // Node enforces both timeouts only when it checks its connections, every 30 s by default:
      // a slow client would keep its connection up to 30 s past them. Check often enough that
      // they hold to within a quarter of the headers timeout (and at least every second).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
      keepAliveTimeout: durationMillis(config.keepAliveTimeout),
    },
    listener,
  );
  server.maxConnections = config.maxConnections;
  // Without this listener Node answers `100 Continue` before the app has looked
  // at the request; the body reader sends it only when it is about to read.
  server.on("checkContinue", listener);
  server.on("clientError", answerClientError);
  return server;
}

const CLIENT_ERRORS: Record<string, [number, string]> = {
  HPE_HEADER_OVERFLOW: [431, "Request Header Fields Too Large"],
  ERR_HTTP_REQUEST_TIMEOUT: [408, "Request Timeout"],
};

/** A request Node could not parse gets the JSON error body too, then the connection is closed. */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  // As Node's own handler: never write into a response already on its way (e.g. a 413
  // whose body is still being drained when the request timeout fires).
  const inFlight = (socket as Duplex & { _httpMessage?: { _headerSent?: boolean } })._httpMessage;
  if (error.code === "ECONNRESET" || !socket.writable || inFlight?._headerSent) {
    socket.destroy();
    return;
  }
  const [status, details] = CLIENT_ERRORS[error.code ?? ""] ?? [400, "Bad Request"];
  const body = JSON.stringify({ title: "Could not process the request", details });
  socket.end(
    `HTTP/1.1 ${status} ${details}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
