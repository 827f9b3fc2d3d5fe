/**
 * Watches (watch.md): one event stream read as typed events, resumed by
 * itself. A dropped connection, a stream the server ends, a network error,
 * a 5xx at open or a connection silent for longer than the idle timeout is
 * reopened with `Last-Event-ID` after an exponential back-off (at least the
 * server's `retry`); a 4xx at open is thrown; an abort ends the iteration
 * quietly and closes the connection at once.
 */
import type { Cause } from "@kuma-ts/model";
import { ApiError, InvalidResponseError, NetworkError } from "./errors.js";
import { SseParser, type SseMessage } from "./sse.js";
import type { TransportResponse, StreamOpener, Query } from "./transport.js";

/** Options of every watch. */
export interface WatchOptions {
  /** Resume after this token (a list's `resumeToken` or an event's `token`): no snapshot. */
  readonly since?: string;
  /** Ends the iteration (quietly: the loop just ends, no error thrown). */
  readonly signal?: AbortSignal;
  /**
   * A connection that receives nothing (heartbeats included) for this long
   * is taken for dead and reopened; 45 000 (three of the server's default
   * 15 s heartbeats) by default, 0 for never.
   */
  readonly idleTimeoutMs?: number;
  /**
   * Whether a failure to open (or reopen) the stream is retried. By default
   * network errors and 5xx answers are retried and anything else is thrown;
   * return false to have an error thrown instead (e.g. a 503 `Too many
   * watches` by a caller that would rather poll).
   */
  readonly retryOpen?: (error: ApiError | NetworkError) => boolean;
  /** Called each time the server starts the stream (the first opening and every reopening). */
  readonly onOpen?: () => void;
}

/** One event of a watch (watch.md §2–§3). */
export type WatchEvent<R> =
  | {
      readonly kind: "snapshot" | "created" | "updated";
      readonly type: string;
      readonly mesh?: string;
      readonly name: string;
      readonly version: string;
      readonly resource: R;
      /**
       * Where a resume after this event starts. For a snapshot event it is the
       * token the stream began from (empty without one): the snapshot itself
       * can only be started again, and the `synced` event's token ends it.
       */
      readonly token: string;
    }
  | {
      readonly kind: "deleted";
      readonly type: string;
      readonly mesh?: string;
      readonly name: string;
      readonly version: string;
      readonly token: string;
    }
  | { readonly kind: "synced"; readonly total: number; readonly token: string }
  | { readonly kind: "reset"; readonly reason: string };

/** The default idle timeout: three of the server's default heartbeats (15 s). */
export const DEFAULT_WATCH_IDLE_TIMEOUT_MS = 45_000;
/** The first reconnection delay; it doubles after each failed attempt. */
export const WATCH_BACKOFF_INITIAL_MS = 250;
/** The longest reconnection delay. */
export const WATCH_BACKOFF_MAX_MS = 5_000;

/** Decodes an event's `resource` of wire type `type` (the response names the request in errors). */
export type ResourceDecoder<R> = (
  response: TransportResponse,
  type: string,
  value: unknown,
  path: string,
) => R;

/** What a watch reads: the path and query of its stream (`watch=true` included where needed). */
export interface WatchRequest<R> {
  readonly path: string;
  readonly query?: Query;
  readonly decode: ResourceDecoder<R>;
}

/** A connection cut by the idle timeout. */
class IdleTimeout extends Error {
  override readonly name = "IdleTimeout";
}

/** Streams the events of `request`, reopening the stream as the module's comment says. */
export async function* watchEvents<R>(
  open: StreamOpener,
  request: WatchRequest<R>,
  options: WatchOptions,
): AsyncGenerator<WatchEvent<R>, void, undefined> {
  const signal = options.signal;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_WATCH_IDLE_TIMEOUT_MS;
  const retryOpen = options.retryOpen ?? defaultRetryOpen;
  /** The token of the last event seen: where a reopened stream resumes. */
  let resumeToken = options.since ?? "";
  /** Snapshot events were delivered and `synced` has not come yet. */
  let inSnapshot = false;
  let serverRetryMs = 0;
  let backoffMs = WATCH_BACKOFF_INITIAL_MS;
  let connection: AbortController | undefined;
  const onAbort = () => connection?.abort(signal?.reason);
  signal?.addEventListener("abort", onAbort, { once: true });
  try {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) return;
      if (attempt > 0) {
        const jittered = backoffMs / 2 + (Math.random() * backoffMs) / 2;
        await sleep(Math.max(serverRetryMs, jittered), signal);
        if (signal?.aborted) return;
        backoffMs = Math.min(backoffMs * 2, WATCH_BACKOFF_MAX_MS);
      }
      connection = new AbortController();
      let stream;
      try {
        stream = await open(
          {
            path: request.path,
            query: request.query,
            headers: resumeToken === "" ? {} : { "Last-Event-ID": resumeToken },
          },
          connection.signal,
        );
      } catch (error) {
        if (signal?.aborted) return;
        if ((error instanceof ApiError || error instanceof NetworkError) && retryOpen(error))
          continue;
        throw error;
      }
      options.onOpen?.();
      const response: TransportResponse = {
        method: "GET",
        url: stream.url,
        status: 200,
        version: undefined,
        resumeToken: undefined,
        body: undefined,
      };
      if (inSnapshot && resumeToken === "") {
        // The snapshot was cut before `synced`: it starts again, what was shown of it is void.
        inSnapshot = false;
        yield { kind: "reset", reason: "the connection was lost during the snapshot" };
      }
      const parser = new SseParser(resumeToken);
      const reader = stream.reader;
      try {
        for (;;) {
          const chunk = await readWithin(reader, idleTimeoutMs, connection);
          if (chunk === undefined) break;
          for (const message of parser.push(chunk)) {
            if (message.type === "retry") {
              serverRetryMs = message.ms;
              continue;
            }
            const event = decodeEvent(response, message, request.decode);
            if (event === undefined) continue;
            if (event.kind === "snapshot") inSnapshot = true;
            else if (event.kind === "synced") inSnapshot = false;
            if (event.kind !== "reset" && event.token !== "") resumeToken = event.token;
            // Something came through: the next reconnection starts from the shortest delay again.
            backoffMs = WATCH_BACKOFF_INITIAL_MS;
            yield event;
          }
        }
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof InvalidResponseError) throw error;
        // A dropped or silent connection: resumed below.
      } finally {
        connection.abort();
        try {
          reader.releaseLock();
        } catch {
          // a read still pending on an aborted connection: nothing left to release
        }
      }
    }
  } finally {
    signal?.removeEventListener("abort", onAbort);
    connection?.abort();
  }
}

function defaultRetryOpen(error: ApiError | NetworkError): boolean {
  return error instanceof NetworkError || error.status >= 500;
}

/** The next chunk, or undefined at the end; aborts the connection when nothing comes within `idleMs`. */
async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  idleMs: number,
  connection: AbortController,
): Promise<Uint8Array | undefined> {
  const timer =
    idleMs > 0 ? setTimeout(() => connection.abort(new IdleTimeout()), idleMs) : undefined;
  try {
    const { done, value } = await reader.read();
    return done ? undefined : value;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits `ms`, or less when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** One SSE event as a WatchEvent; undefined for an event kind this client does not know. */
function decodeEvent<R>(
  response: TransportResponse,
  message: SseMessage & { type: "event" },
  decode: ResourceDecoder<R>,
): WatchEvent<R> | undefined {
  const kind = message.event;
  if (!["snapshot", "created", "updated", "deleted", "synced", "reset"].includes(kind))
    return undefined;
  const invalid = (causes: Cause[]): InvalidResponseError =>
    new InvalidResponseError(
      response.method,
      response.url,
      response.status,
      causes.map((c) => ({
        field: c.field ? `${kind}.${c.field}` : kind,
        message: c.message,
      })),
    );
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch (error) {
    throw invalid([{ field: "", message: `the data is not JSON: ${(error as Error).message}` }]);
  }
  if (!isRecord(data)) throw invalid([{ field: "", message: "the data must be a JSON object" }]);
  const token = message.lastEventId;
  const causes: Cause[] = [];
  if (kind === "reset") {
    if (typeof data.reason !== "string")
      causes.push({ field: "reason", message: "must be a string" });
    if (causes.length > 0) throw invalid(causes);
    return { kind, reason: data.reason as string };
  }
  if (kind !== "snapshot" && token === "")
    causes.push({ field: "id", message: "the event must have an id" });
  if (kind === "synced") {
    const total = data.total;
    if (typeof total !== "number" || !Number.isInteger(total) || total < 0)
      causes.push({ field: "total", message: "must be a non-negative integer" });
    if (causes.length > 0) throw invalid(causes);
    return { kind, total: total as number, token };
  }
  for (const field of ["type", "name", "version"] as const) {
    if (typeof data[field] !== "string" || data[field] === "")
      causes.push({ field, message: "must be a non-empty string" });
  }
  if (data.mesh !== undefined && typeof data.mesh !== "string")
    causes.push({ field: "mesh", message: "must be a string" });
  if (kind !== "deleted" && !isRecord(data.resource))
    causes.push({ field: "resource", message: "must be an object" });
  if (causes.length > 0) throw invalid(causes);
  const head = {
    type: data.type as string,
    ...(data.mesh === undefined ? {} : { mesh: data.mesh as string }),
    name: data.name as string,
    version: data.version as string,
  };
  if (kind === "deleted") return { kind, ...head, token };
  const resource = decode(response, head.type, data.resource, `${kind}.resource`);
  return { kind: kind as "snapshot" | "created" | "updated", ...head, resource, token };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
