/** A raw TCP connection to the server, for what fetch cannot do: partial, slow and oversized requests. */
import net from "node:net";

/** A connection that records everything the server sends. */
export interface RawConnection {
  write(data: string | Buffer): Promise<void>;
  /** Resolves with everything received once `pattern` matches it (rejects after `timeoutMs`). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Everything received so far. */
  received(): string;
  /** Whether the server closed or reset the connection. */
  closed(): boolean;
  end(): void;
}

/** Opens a connection to the URL's host and port. */
export function openRaw(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = "";
    let isClosed = false;
    const waiters = new Set<() => void>();
    const notify = () => waiters.forEach((waiter) => waiter());
    socket.on("data", (chunk) => {
      data += chunk.toString("latin1");
      notify();
    });
    socket.on("close", () => {
      isClosed = true;
      notify();
    });
    socket.on("error", () => {
      isClosed = true;
      notify();
    });
    socket.once("connect", () =>
      resolve({
        write: (chunk) =>
          new Promise((done, fail) => socket.write(chunk, (error) => (error ? fail(error) : done()))),
        waitFor: (pattern, timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const check = () => {
              if (pattern.test(data)) {
                cleanup();
                done(data);
              } else if (isClosed) {
                cleanup();
                fail(new Error(`connection closed before ${pattern}; received: ${JSON.stringify(data)}`));
              }
            };
            const timer = setTimeout(() => {
              cleanup();
              fail(new Error(`timed out waiting for ${pattern}; received: ${JSON.stringify(data)}`));
            }, timeoutMs);
            const cleanup = () => {
              clearTimeout(timer);
              waiters.delete(check);
            };
            waiters.add(check);
            check();
          }),
        received: () => data,
        closed: () => isClosed,
        end: () => socket.destroy(),
      }),
    );
    socket.once("error", reject);
  });
}

/** The count of responses (status lines) in what was received. */
export const responseCount = (received: string): number => (received.match(/HTTP\/1\.1 \d{3} /g) ?? []).length;

/** One response as a raw connection received it. */
export interface RawResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Every complete response in what a raw connection received, in order;
 * bodies are read by Content-Length (none for 1xx, 204 and 304, as the API
 * never answers chunked). An incomplete last response is left out.
 */
export function parseResponses(received: string): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  for (;;) {
    const headEnd = received.indexOf("\r\n\r\n", at);
    if (headEnd < 0) return responses;
    const [statusLine = "", ...lines] = received.slice(at, headEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)?.[1]);
    if (!status) throw new Error(`not a status line: ${JSON.stringify(statusLine)}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const length = status < 200 || status === 204 || status === 304 ? 0 : Number(headers["content-length"]);
    if (!Number.isInteger(length)) throw new Error(`a ${status} without Content-Length`);
    const bodyStart = headEnd + 4;
    if (received.length < bodyStart + length) return responses;
    responses.push({ status, headers, body: received.slice(bodyStart, bodyStart + length) });
    at = bodyStart + length;
  }
}
