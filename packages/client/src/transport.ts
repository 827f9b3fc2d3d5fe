/**
 * The one place where HTTP happens and where failures become typed errors:
 * a transport error or timeout becomes a NetworkError, a status ≥ 400 an
 * ApiError, an unreadable success body an InvalidResponseError.
 */
import type { Cause } from "@kuma-ts/model";
import { ApiError, InvalidResponseError, NetworkError } from "./errors.js";

/** The fetch function the client calls (the global one unless another is given). */
export type Fetch = typeof globalThis.fetch;

/** Query parameters; an array value repeats the parameter. */
export type Query = Record<string, string | number | readonly string[] | undefined>;

/** One request, relative to the client's base URL. */
export interface TransportRequest {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Path below the base URL, starting with `/`; `""` means the base URL exactly as given. */
  readonly path: string;
  readonly query?: Query;
  /** A JSON text to send with `Content-Type: application/json`. */
  readonly body?: string;
  readonly headers?: Record<string, string>;
  /** The answer is plain text (a token), not JSON: it is returned as is in `body`. */
  readonly text?: boolean;
}

/** A successful answer with its JSON body (undefined when the body was empty). */
export interface TransportResponse {
  readonly method: string;
  readonly url: string;
  readonly status: number;
  /** The ETag's version, without quotes. */
  readonly version: string | undefined;
  /** The `Kuma-Resume-Token` of a list: where a watch of it starts (watch.md §3). */
  readonly resumeToken: string | undefined;
  readonly body: unknown;
}

/** Settings of the transport, taken from the client's options. */
export interface TransportOptions {
  readonly baseUrl: string;
  readonly fetch: Fetch;
  readonly headers: Readonly<Record<string, string>>;
  /** Per request, including reading the body; 0 disables the timeout. */
  readonly timeoutMs: number;
}

/** Sends requests and translates every failure into the client's errors. */
export type Transport = (request: TransportRequest) => Promise<TransportResponse>;

/** Builds the transport of one client. */
export function createTransport(options: TransportOptions): Transport {
  return async (request) => {
    const url = requestUrl(options.baseUrl, request);
    const headers: Record<string, string> = {
      Accept: request.text ? "text/plain, application/json" : "application/json",
      ...options.headers,
      ...request.headers,
    };
    if (request.body !== undefined) headers["Content-Type"] = "application/json";
    const signal = options.timeoutMs > 0 ? AbortSignal.timeout(options.timeoutMs) : undefined;

    let status: number;
    let etag: string | null;
    let resumeToken: string | null;
    let text: string;
    try {
      const response = await options.fetch(url, {
        method: request.method,
        headers,
        body: request.body,
        signal,
      });
      status = response.status;
      etag = response.headers.get("etag");
      resumeToken = response.headers.get("kuma-resume-token");
      text = await response.text();
    } catch (error) {
      const timedOut = isTimeout(error);
      const reason = timedOut
        ? `timed out after ${options.timeoutMs} ms`
        : describeTransportFailure(error);
      throw new NetworkError(request.method, url, reason, timedOut, error);
    }

    if (status >= 400) throw apiError(request.method, url, status, text);
    let body: unknown = request.text ? text : undefined;
    if (!request.text && text.trim() !== "") {
      try {
        body = JSON.parse(text);
      } catch (error) {
        throw new InvalidResponseError(request.method, url, status, [
          { field: "", message: `the body is not JSON: ${(error as Error).message}` },
        ]);
      }
    }
    return {
      method: request.method,
      url,
      status,
      version: parseEtag(etag),
      resumeToken: resumeToken ?? undefined,
      body,
    };
  };
}

/** The absolute URL of a request: the base URL, the path below it, the query. */
function requestUrl(base: string, request: Pick<TransportRequest, "path" | "query">): string {
  return request.path === ""
    ? base
    : base.replace(/\/+$/, "") + request.path + queryString(request.query);
}

/** A `GET` of an event stream (watch.md), relative to the client's base URL. */
export interface StreamRequest {
  readonly path: string;
  readonly query?: Query;
  readonly headers?: Record<string, string>;
}

/** An event stream the server started: its URL and the reader of its body. */
export interface OpenedStream {
  readonly url: string;
  readonly reader: ReadableStreamDefaultReader<Uint8Array>;
}

/**
 * Opens event streams (`Accept: text/event-stream`). The client's timeout
 * covers the opening only (until the headers, or the whole body of an error
 * answer), never the stream itself, which lives as long as its reader. An
 * error status becomes an ApiError, a failure to connect a NetworkError, a
 * success that is not an event stream an InvalidResponseError. When `signal`
 * aborts, its reason is thrown as is.
 */
export type StreamOpener = (request: StreamRequest, signal: AbortSignal) => Promise<OpenedStream>;

/** Builds the stream opener of one client. */
export function createStreamOpener(options: TransportOptions): StreamOpener {
  return async (request, signal) => {
    const url = requestUrl(options.baseUrl, request);
    const headers: Record<string, string> = {
      Accept: "text/event-stream",
      ...options.headers,
      ...request.headers,
    };
    const controller = new AbortController();
    const onAbort = () => controller.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener("abort", onAbort, { once: true });
    const timeout =
      options.timeoutMs > 0
        ? setTimeout(
            () => controller.abort(new DOMException("the watch did not open", "TimeoutError")),
            options.timeoutMs,
          )
        : undefined;
    try {
      let response: Response;
      let errorText = "";
      try {
        response = await options.fetch(url, { method: "GET", headers, signal: controller.signal });
        if (response.status >= 400) errorText = await response.text();
      } catch (error) {
        if (signal.aborted) throw signal.reason;
        const timedOut = isTimeout(controller.signal.reason);
        const reason = timedOut
          ? `timed out after ${options.timeoutMs} ms`
          : describeTransportFailure(error);
        throw new NetworkError("GET", url, reason, timedOut, error);
      }
      if (response.status >= 400) throw apiError("GET", url, response.status, errorText);
      const contentType = response.headers.get("content-type") ?? "";
      if (!/^text\/event-stream\b/i.test(contentType.trim()) || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        throw new InvalidResponseError("GET", url, response.status, [
          {
            field: "",
            message: `not an event stream (Content-Type: ${contentType || "none"})`,
          },
        ]);
      }
      // From here on the stream is closed through the caller's signal only.
      return { url, reader: response.body.getReader() };
    } finally {
      clearTimeout(timeout);
    }
  };
}

function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) params.append(key, item);
    else params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The entity tag of a version for `If-Match` / `If-None-Match`: `3` → `"3"`; a tag already quoted stays. */
export function entityTag(version: string): string {
  return /^(?:W\/)?".*"$/.test(version) ? version : `"${version}"`;
}

/** `"3"` or `W/"3"` → `3`. */
function parseEtag(etag: string | null): string | undefined {
  if (!etag) return undefined;
  const match = /^(?:W\/)?"(.*)"$/.exec(etag.trim());
  return match ? match[1] : etag.trim();
}

function apiError(method: string, url: string, status: number, text: string): ApiError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && typeof parsed.title === "string" && typeof parsed.details === "string") {
    return new ApiError(
      method,
      url,
      status,
      parsed.title,
      parsed.details,
      causesOf(parsed.causes),
      text,
    );
  }
  return new ApiError(method, url, status, "", "", [], text);
}

function causesOf(value: unknown): Cause[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((cause) => ({
    field: typeof cause.field === "string" ? cause.field : "",
    message: typeof cause.message === "string" ? cause.message : "",
  }));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === "TimeoutError";
}

/**
 * The most useful line of a fetch failure: Node's fetch says only
 * `fetch failed` and keeps the real reason (`connect ECONNREFUSED ...`) in
 * `cause`, sometimes as an AggregateError of one attempt per address.
 */
function describeTransportFailure(error: unknown): string {
  let current: unknown = error;
  while (
    current instanceof Error &&
    current.cause !== undefined &&
    (current.message === "fetch failed" || current.message === "")
  ) {
    current = current.cause;
  }
  if (current instanceof AggregateError && current.message === "") {
    const messages = [
      ...new Set(current.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e)))),
    ];
    if (messages.length > 0) return messages.join("; ");
  }
  if (current instanceof Error) {
    const code = (current as { code?: unknown }).code;
    return current.message || (typeof code === "string" ? code : current.name);
  }
  return String(current);
}
