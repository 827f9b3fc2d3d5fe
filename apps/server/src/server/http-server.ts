/**
 * The Node HTTP server of the API, hardened from `apiServer.*`: timeouts for
 * headers, whole requests and idle keep-alive connections, a connection cap,
 * the requests of one connection served one after the other, and JSON
 * answers even to requests that never reach the app (Node cannot parse
 * them, they lack `Host`, or they expect what the server does not do).
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";
import type { ServerConfig } from "@kuma-ts/model";
import { durationMillis } from "./durations.js";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** Creates (does not start) the API's HTTP server; with `tls`, its HTTPS server (auth.md §11). */
export function createApiHttpServer(
  config: ServerConfig["apiServer"],
  listener: RequestListener,
): http.Server;
export function createApiHttpServer(
  config: ServerConfig["apiServer"],
  listener: RequestListener,
  tls: https.ServerOptions,
): https.Server;
export function createApiHttpServer(
  config: ServerConfig["apiServer"],
  listener: RequestListener,
  tls?: https.ServerOptions,
): http.Server | https.Server {
  const requestTimeout = durationMillis(config.requestTimeout);
  // Node refuses a headers timeout longer than the request timeout.
  const headersTimeout = Math.min(durationMillis(config.headersTimeout), requestTimeout);
  const create = tls
    ? (options: http.ServerOptions, handler: RequestListener) =>
        https.createServer({ ...options, ...tls }, handler)
    : (options: http.ServerOptions, handler: RequestListener) =>
        http.createServer(options, handler);
  const server = create(
    {
      requestTimeout,
      headersTimeout,
      // Node enforces both timeouts only when it checks its connections, every 30 s by default:
      // a slow client would keep its connection up to 30 s past them. Check often enough that
      // they hold to within a quarter of the headers timeout (and at least every second).
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(headersTimeout / 4))),
      keepAliveTimeout: durationMillis(config.keepAliveTimeout),
      // Node would answer a request without Host with an empty 400: servedInOrder answers it in JSON.
      requireHostHeader: false,
    },
    servedInOrder(listener),
  );
  server.maxConnections = config.maxConnections;
  // Without this listener Node answers `100 Continue` before the app has looked
  // at the request; the body reader sends it only when it is about to read.
  server.on("checkContinue", servedInOrder(listener));
  // Without this one Node answers any other `Expect` with an empty 417.
  server.on("checkExpectation", (_req: IncomingMessage, res: ServerResponse) =>
    refuse(res, 417, "Expectation Failed"),
  );
  server.on("clientError", answerClientError);
  return server;
}

/**
 * Serves the requests of one connection one after the other: a pipelined
 * request starts only once the response to the one before it has finished,
 * so that its effects follow the order of the requests (HTTP/1.1 requires
 * the responses in order; a GET must not overtake the PUT before it, nor a
 * DELETE its PUT). Node already queues the response of such a request
 * behind the unfinished ones and hands it the connection's socket (its
 * `socket` event) when its turn comes; until then `res.socket` is null. A
 * request that is not pipelined finds its socket assigned and starts at once.
 */
function servedInOrder(listener: RequestListener): RequestListener {
  const serve: RequestListener = (req, res) => {
    // RFC 9112 §3.2: a server must answer 400 to an HTTP/1.1 request without Host.
    if (
      req.headers.host === undefined &&
      req.httpVersionMajor === 1 &&
      req.httpVersionMinor === 1
    ) {
      refuse(res, 400, "Bad Request", { Connection: "close" });
    } else {
      listener(req, res);
    }
  };
  return (req, res) => {
    if (res.socket === null) res.once("socket", () => serve(req, res));
    else serve(req, res);
  };
}

/** The title of the JSON error of a request that never reaches the app. */
const REFUSED = "Could not process the request";

/** Answers a request that never reaches the app with the JSON error body. */
function refuse(
  res: ServerResponse,
  status: number,
  details: string,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify({ title: REFUSED, details });
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
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
  const body = JSON.stringify({ title: REFUSED, details });
  socket.end(
    `HTTP/1.1 ${status} ${details}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
