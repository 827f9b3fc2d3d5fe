/**
 * Plain HTTP/1.1 requests with node:http, so that the tests see exactly
 * what a client sees: the status, the headers, the whole body, and
 * transport failures by their code (ECONNRESET, ECONNREFUSED, ...).
 */
import http, { type IncomingHttpHeaders } from "node:http";

/** A complete response. */
export interface HttpResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** Milliseconds from sending the request to the end of the body. */
  readonly ms: number;
}

/** The request failed below HTTP: no complete response arrived. */
export class HttpTransportError extends Error {
  override readonly name = "HttpTransportError";
  constructor(
    /** `ECONNRESET`, `ECONNREFUSED`, `TIMEOUT`, `ABORTED` (a response cut short), ... */
    readonly code: string,
    message: string,
    readonly ms: number,
    /** Whether the request went out on a kept-alive connection used before. */
    readonly reusedSocket = false,
  ) {
    super(message);
  }
}

/** Options of one request. */
export interface RequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly agent?: http.Agent;
  /** Fails with code TIMEOUT after this long. Default 30 s. */
  readonly timeoutMs?: number;
}

/** Sends one request and resolves with the complete response; rejects with HttpTransportError. */
export function httpRequest(url: string, options: RequestOptions = {}): Promise<HttpResponse> {
  const started = performance.now();
  const elapsed = (): number => performance.now() - started;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (code: string, message: string): void => {
      if (settled) return;
      settled = true;
      reject(new HttpTransportError(code, message, elapsed(), req.reusedSocket));
    };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      url,
      {
        method: options.method ?? "GET",
        agent: options.agent ?? false,
        headers: {
          ...(body === undefined ? {} : { "Content-Length": String(body.length) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("aborted", () => fail("ABORTED", `${url}: the response was cut short`));
        res.on("error", (error: NodeJS.ErrnoException) =>
          fail(error.code ?? "ERROR", error.message),
        );
        res.on("end", () => {
          if (settled) return;
          if (!res.complete) return fail("ABORTED", `${url}: the response was cut short`);
          settled = true;
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            ms: elapsed(),
          });
        });
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => {
      fail("TIMEOUT", `${url}: no response within ${options.timeoutMs ?? 30_000}ms`);
      req.destroy();
    });
    req.on("error", (error: NodeJS.ErrnoException) =>
      fail(error.code ?? "ERROR", `${url}: ${error.message}`),
    );
    req.end(body);
  });
}

/** The outcome of a request as one word: the status, or the transport error's code. */
export async function outcomeOf(request: Promise<HttpResponse>): Promise<{
  readonly outcome: string;
  readonly response?: HttpResponse;
  readonly ms: number;
  /** For a transport error: whether it happened on a kept-alive connection used before. */
  readonly reusedSocket?: boolean;
}> {
  try {
    const response = await request;
    return { outcome: String(response.status), response, ms: response.ms };
  } catch (error) {
    if (error instanceof HttpTransportError)
      return { outcome: error.code, ms: error.ms, reusedSocket: error.reusedSocket };
    throw error;
  }
}

/** The API of one replica, with JSON bodies. */
export interface ApiClient {
  readonly baseUrl: string;
  get(path: string, headers?: Record<string, string>): Promise<HttpResponse>;
  put(path: string, resource: unknown, headers?: Record<string, string>): Promise<HttpResponse>;
  delete(path: string, headers?: Record<string, string>): Promise<HttpResponse>;
}

/** Requests to `baseUrl` over a keep-alive agent of its own (as a load balancer keeps connections). */
export function apiClient(baseUrl: string, agent: http.Agent = keepAliveAgent()): ApiClient {
  const send = (method: string, path: string, headers: Record<string, string>, body?: string) =>
    httpRequest(`${baseUrl}${path}`, {
      method,
      agent,
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...headers,
      },
      ...(body === undefined ? {} : { body }),
    });
  return {
    baseUrl,
    get: (path, headers = {}) => send("GET", path, headers),
    put: (path, resource, headers = {}) => send("PUT", path, headers, JSON.stringify(resource)),
    delete: (path, headers = {}) => send("DELETE", path, headers),
  };
}

/** An agent that keeps connections open between requests. */
export function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 64 });
}

/** Parses a JSON body. */
export function json<T = Record<string, unknown>>(response: HttpResponse): T {
  return JSON.parse(response.body) as T;
}

/** The ETag of a response without its quotes. */
export function etag(response: HttpResponse): string | undefined {
  const value = response.headers.etag;
  return value === undefined ? undefined : value.replace(/^"|"$/g, "");
}
