/**
 * A small fetch over node:http/node:https for the kumactl bin. Node's global
 * fetch (undici) costs a CLI a lot on first use — loading and compiling its
 * HTTP parser, and waiting for that background compilation at exit — which
 * for a short-lived command is most of its run time. This covers what
 * kumactl asks of fetch: a method, headers, a text body, an abort signal,
 * redirects for GET, and a response read as text or, for a watch, as a
 * stream (`body`).
 */
import http from "node:http";
import https from "node:https";
import { Readable } from "node:stream";
import type { Fetch } from "@kuma-ts/client";

/** Redirects followed for a GET, as fetch does. */
const MAX_REDIRECTS = 20;

/** The subset of a fetch Response that kumactl and the client read. */
interface TextResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  text(): Promise<string>;
  /** The body as it arrives, for event streams. */
  readonly body: ReadableStream<Uint8Array>;
}

/** TLS settings of `https:` requests (files already read). */
export interface NodeFetchTls {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  /** Skip verifying the server's certificate (`--skip-verify`). */
  readonly skipVerify?: boolean;
}

/** A fetch-compatible function for `http:` and `https:` URLs, with TLS settings for `https:`. */
export function createNodeFetch(tls: NodeFetchTls = {}): Fetch {
  const agent =
    tls.ca || tls.cert || tls.key || tls.skipVerify
      ? new https.Agent({
          ...(tls.ca ? { ca: tls.ca } : {}),
          ...(tls.cert ? { cert: tls.cert } : {}),
          ...(tls.key ? { key: tls.key } : {}),
          rejectUnauthorized: !tls.skipVerify,
        })
      : undefined;
  return ((input: string | URL, init: RequestInit = {}) =>
    request(new URL(String(input)), init, MAX_REDIRECTS, agent)) as unknown as Fetch;
}

/** A fetch-compatible function for `http:` and `https:` URLs. */
export const nodeFetch: Fetch = createNodeFetch();

/** The whole body as text; rejects with the signal's reason when aborted first. */
function readText(
  incoming: http.IncomingMessage,
  signal: AbortSignal | undefined,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("error", (error) => reject(signal?.aborted ? signal.reason : error));
    incoming.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

function request(
  url: URL,
  init: RequestInit,
  redirectsLeft: number,
  agent: https.Agent | undefined,
): Promise<TextResponse> {
  return new Promise((resolve, reject) => {
    const module = url.protocol === "https:" ? https : url.protocol === "http:" ? http : undefined;
    if (!module) {
      reject(new TypeError(`fetch failed: unsupported protocol ${url.protocol}`));
      return;
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const method = (init.method ?? "GET").toUpperCase();
    const outgoing = module.request(url, {
      method,
      headers: headersOf(init.headers),
      ...(agent && url.protocol === "https:" ? { agent } : {}),
    });
    const onAbort = () => {
      outgoing.destroy();
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => signal?.removeEventListener("abort", onAbort);

    outgoing.on("error", (error) => {
      done();
      reject(error);
    });
    outgoing.on("response", (incoming) => {
      const status = incoming.statusCode ?? 0;
      const location = incoming.headers.location;
      if (
        (method === "GET" || method === "HEAD") &&
        status >= 300 &&
        status < 400 &&
        location &&
        redirectsLeft > 0
      ) {
        incoming.resume();
        done();
        const target = new URL(location, url);
        // Credentials never follow a redirect to another origin (as fetch does).
        const headers = headersOf(init.headers);
        if (target.origin !== url.origin) {
          for (const name of Object.keys(headers))
            if (name.toLowerCase() === "authorization") delete headers[name];
        }
        request(target, { ...init, headers }, redirectsLeft - 1, agent).then(resolve, reject);
        return;
      }
      incoming.on("error", () => undefined); // reported by text() or the body stream
      incoming.on("close", done);
      let stream: ReadableStream<Uint8Array> | undefined;
      resolve({
        status,
        statusText: incoming.statusMessage ?? "",
        ok: status >= 200 && status < 300,
        url: url.href,
        headers: {
          get(name: string) {
            const value = incoming.headers[name.toLowerCase()];
            return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
          },
        },
        text: () => readText(incoming, signal),
        // An event stream (a watch) is read as it comes; made only when asked for.
        get body() {
          return (stream ??= Readable.toWeb(incoming) as ReadableStream<Uint8Array>);
        },
      });
    });
    if (typeof init.body === "string") outgoing.write(init.body);
    outgoing.end();
  });
}

/** Headers given as a record or as pairs (what kumactl and the client pass; a Headers object is not expected). */
function headersOf(headers: RequestInit["headers"]): Record<string, string> {
  if (!headers) return {};
  if (Array.isArray(headers)) return Object.fromEntries(headers);
  return { ...(headers as Record<string, string>) };
}
