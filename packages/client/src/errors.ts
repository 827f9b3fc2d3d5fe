/**
 * Every way a call can fail, as three classes with stable codes. They are
 * created in one place only, the response handler of transport.ts.
 */
import type { Cause } from "@kuma-ts/model";

/** The stable code of a client error. */
export type ClientErrorCode = "API_ERROR" | "NETWORK_ERROR" | "INVALID_RESPONSE";

/** The base of every error the client throws. */
export abstract class KumaClientError extends Error {
  abstract readonly code: ClientErrorCode;
  /** The request that failed: `GET`, `PUT`, ... */
  readonly method: string;
  /** The absolute URL of the request. */
  readonly url: string;

  protected constructor(
    message: string,
    method: string,
    url: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.method = method;
    this.url = url;
  }
}

/**
 * The server answered with an error status (≥ 400). `title`, `details` and
 * `causes` come from the Kuma error body; when the body is not one (a proxy's
 * HTML page, plain text), they are empty and `body` keeps the raw text.
 */
export class ApiError extends KumaClientError {
  readonly code = "API_ERROR";
  override readonly name = "ApiError";
  /** Whether the body was a Kuma error body (non-empty `title` and `details`). */
  readonly isKumaError: boolean;

  constructor(
    method: string,
    url: string,
    readonly status: number,
    readonly title: string,
    readonly details: string,
    readonly causes: readonly Cause[],
    /** The raw response body. */
    readonly body: string,
  ) {
    const isKumaError = title !== "" && details !== "";
    super(isKumaError ? `${title} (${details})` : `(${status}): ${body}`, method, url);
    this.isKumaError = isKumaError;
  }
}

/** The request never got an answer: connection refused, DNS failure, reset, timeout, aborted. */
export class NetworkError extends KumaClientError {
  readonly code = "NETWORK_ERROR";
  override readonly name = "NetworkError";

  constructor(
    method: string,
    url: string,
    /** What went wrong at the transport level, e.g. `connect ECONNREFUSED 127.0.0.1:5681`. */
    readonly reason: string,
    /** Whether the request was cut by the client's timeout. */
    readonly timedOut: boolean,
    cause: unknown,
  ) {
    super(`${method} ${url}: ${reason}`, method, url, { cause });
  }
}

/** The server answered with a success status, but the body is not what the API promises. */
export class InvalidResponseError extends KumaClientError {
  readonly code = "INVALID_RESPONSE";
  override readonly name = "InvalidResponseError";

  constructor(
    method: string,
    url: string,
    readonly status: number,
    /** What is wrong, with JSON paths relative to the response body. */
    readonly causes: readonly Cause[],
  ) {
    super(
      `invalid response to ${method} ${url}: ${causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message)).join("; ")}`,
      method,
      url,
    );
  }
}
