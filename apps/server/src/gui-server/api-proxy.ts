/**
 * The GUI server's `/api/*`: a reverse proxy to the API server (gui.md §2).
 * The `/api` prefix is stripped and the query kept; end-to-end headers pass
 * unchanged both ways (ETag, If-None-Match, Last-Event-ID, Kuma-Resume-Token,
 * Authorization, ...); responses are piped as they arrive, so an event
 * stream is never buffered and lives as long as the API keeps it open.
 */
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";

/** Hop-by-hop headers (RFC 9110 §7.6.1): they describe one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** The body of the 502 when the API cannot be reached (the Kuma error shape). */
export const API_UNREACHABLE_BODY = JSON.stringify({
  title: "API server unreachable",
  details: "Bad Gateway",
});

/** The path below the API of a `/api...` request: `/api/meshes?size=1` → `/meshes?size=1`, `/api` → `/`. */
export function apiPathOf(url: string): string {
  const rest = url.slice("/api".length);
  return rest === "" || rest.startsWith("?") ? `/${rest}` : rest;
}

/** Forwards requests to the API server at `apiUrl` (`http://host:port`). */
export function createApiProxy(
  apiUrl: string,
): (req: IncomingMessage, res: ServerResponse) => void {
  const target = new URL(apiUrl);
  return (req, res) => {
    const upstream = http.request({
      host: target.hostname.replace(/^\[(.*)\]$/, "$1"),
      port: target.port,
      method: req.method,
      path: apiPathOf(req.url ?? "/api"),
      headers: { ...endToEnd(req.headers), host: target.host, ...forwardedFor(req) },
    });
    upstream.on("response", (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
      // An event stream's first bytes may be minutes away: the browser needs the headers now.
      res.flushHeaders();
      answer.pipe(res);
      answer.on("error", () => res.destroy());
    });
    upstream.on("error", () => {
      if (res.headersSent) {
        res.destroy(); // the API went away mid-answer: the browser sees a cut, as it would without us
        return;
      }
      res.writeHead(502, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Length": Buffer.byteLength(API_UNREACHABLE_BODY),
      });
      res.end(API_UNREACHABLE_BODY);
    });
    // The browser went away (a closed EventSource, a navigation): so does the request to the API.
    res.on("close", () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };
}

/** The headers without the hop-by-hop ones, nor those the `Connection` header names. */
function endToEnd(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const named = new Set(
    String(headers.connection ?? "")
      .split(",")
      .map((name) => name.trim().toLowerCase())
      .filter(Boolean),
  );
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || name === "host" || HOP_BY_HOP.has(name) || named.has(name)) continue;
    kept[name] = value;
  }
  return kept;
}

/**
 * `X-Forwarded-*` and `Forwarded` (RFC 7239), each appended to what came in:
 * every request the API gets from the GUI names the browser, so the API can
 * never take a browser's request for a local one (auth.md §9).
 */
function forwardedFor(req: IncomingMessage): Record<string, string> {
  const address = req.socket.remoteAddress ?? "unknown";
  const host = req.headers.host ?? "";
  const append = (existing: string | string[] | undefined, value: string): string =>
    [existing]
      .flat()
      .filter((part): part is string => Boolean(part))
      .concat(value)
      .join(", ");
  const node = address.includes(":") ? `"[${address}]"` : address;
  return {
    "x-forwarded-for": append(req.headers["x-forwarded-for"], address),
    "x-forwarded-proto": "http",
    "x-forwarded-host": host,
    forwarded: append(req.headers.forwarded, `for=${node};host=${JSON.stringify(host)};proto=http`),
  };
}
