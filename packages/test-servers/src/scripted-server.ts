/**
 * A local HTTP server with scripted answers, for what the real control plane
 * never does (HTML error pages, malformed bodies, hanging). Every request is
 * recorded so that tests can check what the client sent.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A scripted answer; `hang` never answers. */
export type ScriptedAnswer =
  | { readonly status: number; readonly body: string; readonly headers?: Record<string, string> }
  | { readonly hang: true };

/** A listening scripted server. */
export interface ScriptedServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts a server on a free loopback port that answers each request with `answer(request)`. */
export async function startScriptedServer(
  answer: (request: RecordedRequest) => ScriptedAnswer,
): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(recorded);
      const scripted = answer(recorded);
      if ("hang" in scripted) return;
      res.writeHead(scripted.status, { "Content-Type": "application/json", ...scripted.headers });
      res.end(scripted.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback URL on which nothing listens (a port that was just freed). */
export async function unusedUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
