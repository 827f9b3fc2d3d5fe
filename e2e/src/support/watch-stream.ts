/**
 * A watch (watch.md) as a test client sees it: the events of one
 * `text/event-stream` response, collected as they arrive, over Node's http
 * module (one connection per watch, nothing shared with other requests).
 */
import http from "node:http";

/** One parsed event; `at` is when it arrived (performance.now()). */
export interface WatchEvent {
  readonly event: string;
  readonly id?: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary event data
  readonly data: any;
  readonly at: number;
}

/** An open watch. */
export interface WatchStream {
  readonly status: number;
  readonly events: WatchEvent[];
  /** The id of the last event that had one. */
  lastId(): string | undefined;
  /** Resolves when the server ended the stream (or the connection broke). */
  readonly ended: Promise<void>;
  isEnded(): boolean;
  /** Waits until `check` holds for the events so far (polling), or throws after `timeoutMs`. */
  waitFor(check: (events: readonly WatchEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens a watch; `headers` may carry `Last-Event-ID`. Non-200 answers resolve with no events. */
export function openWatch(url: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { Accept: "text/event-stream", ...headers } }, (response) => {
      const events: WatchEvent[] = [];
      let buffer = "";
      let ended = false;
      let lastId: string | undefined;
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split("\n")) {
            if (line.startsWith(":")) continue;
            const colon = line.indexOf(": ");
            if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 2));
          }
          const event = fields.get("event");
          if (event === undefined) continue;
          const id = fields.get("id");
          if (id !== undefined) lastId = id;
          const data = fields.get("data") ?? "";
          let parsed: unknown = data;
          try {
            parsed = JSON.parse(data);
          } catch {
            // not JSON: kept as text
          }
          events.push({ event, ...(id !== undefined ? { id } : {}), data: parsed, at: performance.now() });
        }
      });
      const ended_ = new Promise<void>((done) => {
        const finish = () => {
          ended = true;
          done();
        };
        response.on("end", finish);
        response.on("close", finish);
        response.on("error", finish);
      });
      resolve({
        status: response.statusCode ?? 0,
        events,
        lastId: () => lastId,
        ended: ended_,
        isEnded: () => ended,
        async waitFor(check, timeoutMs = 10_000) {
          const deadline = performance.now() + timeoutMs;
          while (!check(events)) {
            if (performance.now() > deadline) {
              throw new Error(`watch ${url}: condition not met within ${timeoutMs} ms (${events.length} events)`);
            }
            await new Promise((wake) => setTimeout(wake, 20));
          }
        },
        close: () => request.destroy(),
      });
    });
    request.on("error", reject);
  });
}

/** The live changes of a watch (created/updated/deleted), in order. */
export const changesOf = (events: readonly WatchEvent[]): WatchEvent[] =>
  events.filter((e) => e.event === "created" || e.event === "updated" || e.event === "deleted");
