/**
 * Raw TCP connections to a replica, for what an HTTP client library hides:
 * requests sent slowly or partly, bodies larger than announced, how many
 * bytes the server took before answering, and whether the connection
 * ended with a FIN or a reset.
 */
import net from "node:net";

/** A parsed HTTP/1.1 response. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How a connection ended. */
export interface RawClose {
  /** The socket error (ECONNRESET, EPIPE, ...) if it did not end cleanly. */
  readonly error?: string;
  /** performance.now() when it closed. */
  readonly at: number;
}

/** An open connection. */
export interface RawConnection {
  /** Writes data; resolves once the kernel took it, rejects with the socket error. */
  write(data: string | Buffer): Promise<void>;
  /** Bytes written successfully so far. */
  bytesWritten(): number;
  /** Everything received so far. */
  received(): Buffer;
  /** The first complete response; rejects if the connection closes before it or after `timeoutMs`. */
  response(timeoutMs?: number): Promise<RawResponse>;
  /** The first `count` complete responses; rejects if the connection closes before them or after `timeoutMs`. */
  responses(count: number, timeoutMs?: number): Promise<RawResponse[]>;
  /** Resolves when the connection has closed. */
  readonly closed: Promise<RawClose>;
  isClosed(): boolean;
  /** Closes our side (FIN). */
  end(): void;
  destroy(): void;
}

/** Connects to the host and port of `url`; rejects with the connect error (ECONNREFUSED, ...). */
export function openRawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = Buffer.alloc(0);
    let written = 0;
    let close: RawClose | undefined;
    let socketError: string | undefined;
    const waiters = new Set<() => void>();
    const notify = (): void => waiters.forEach((waiter) => waiter());
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      notify();
    });
    socket.on("error", (error: NodeJS.ErrnoException) => {
      socketError ??= error.code ?? error.message;
    });
    const closed = new Promise<RawClose>((done) => {
      socket.on("close", () => {
        close = { ...(socketError ? { error: socketError } : {}), at: performance.now() };
        notify();
        done(close);
      });
    });
    const responses = (count: number, timeoutMs = 10_000): Promise<RawResponse[]> =>
      new Promise((done, fail) => {
        const received = (): string => JSON.stringify(data.toString("latin1").slice(0, 300));
        const check = (): void => {
          const parsed = parseResponses(data);
          if (parsed.length >= count) {
            cleanup();
            done(parsed.slice(0, count));
          } else if (close) {
            cleanup();
            fail(
              new Error(
                `closed (${close.error ?? "FIN"}) after ${parsed.length} of ${count} complete responses; received ${received()}`,
              ),
            );
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          fail(
            new Error(
              `${parseResponses(data).length} of ${count} complete responses within ${timeoutMs}ms; received ${received()}`,
            ),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    const onConnectError = (error: Error): void => reject(error);
    socket.once("error", onConnectError);
    socket.once("connect", () => {
      socket.off("error", onConnectError);
      resolve({
        write: (chunk) =>
          new Promise((done, fail) => {
            if (close || socket.destroyed) {
              fail(new Error(socketError ?? "the connection is closed"));
              return;
            }
            socket.write(chunk, (error) => {
              if (error) fail(error);
              else {
                written += Buffer.byteLength(chunk);
                done();
              }
            });
          }),
        bytesWritten: () => written,
        received: () => data,
        response: (timeoutMs = 10_000) =>
          responses(1, timeoutMs).then((received) => received[0] as RawResponse),
        responses,
        closed,
        isClosed: () => close !== undefined,
        end: () => socket.end(),
        destroy: () => socket.destroy(),
      });
    });
  });
}

/** Every complete response in `data`, in order (bodies by Content-Length; an incomplete last one is left out). */
export function parseResponses(data: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = data.indexOf("\r\n\r\n", at);
    if (headEnd < 0) return responses;
    const lines = data.subarray(at, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
    if (!status) return responses;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0)
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    const bodyStart = headEnd + 4;
    if (data.length < bodyStart + length) return responses;
    responses.push({
      status,
      headers,
      body: data.subarray(bodyStart, bodyStart + length).toString("utf8"),
    });
    at = bodyStart + length;
  }
}
