/** A Server-Sent Events reader over fetch for black-box tests of watches: parses what the wire carries. */

/** One event as parsed (`id` absent when the event had none). */
export interface StreamEvent {
  readonly event: string;
  readonly id?: string;
  readonly data: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions read arbitrary bodies
  readonly json: any;
}

/** An open watch. */
export interface EventStream {
  readonly status: number;
  readonly headers: Headers;
  /** Every block parsed so far, in order: events, and `retry`/comments as pseudo-events. */
  readonly received: StreamEvent[];
  /** The raw text received so far. */
  text(): string;
  /** The next event (skipping comments and `retry`), within `timeoutMs`. */
  next(timeoutMs?: number): Promise<StreamEvent>;
  /** The next `count` events. */
  take(count: number, timeoutMs?: number): Promise<StreamEvent[]>;
  /** Events until one named `name` (included). */
  until(name: string, timeoutMs?: number): Promise<StreamEvent[]>;
  /** Resolves when the server ended the stream. */
  readonly ended: Promise<void>;
  /** Whether the server ended the stream. */
  isEnded(): boolean;
  close(): void;
}

/** Opens `url` as a watch; for an answer that is not an event stream, `text()` holds its body. */
export async function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { Accept: "text/event-stream", ...headers }, signal: abort.signal });
  const received: StreamEvent[] = [];
  let raw = "";
  let buffer = "";
  let cursor = 0;
  let ended = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const parseBlock = (block: string): void => {
    let event = "message";
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line.startsWith(":")) {
        received.push({ event: ":comment", data: line.slice(1).trim(), json: undefined });
        return;
      }
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "retry") {
        received.push({ event: ":retry", data: value, json: undefined });
        return;
      }
      if (field === "event") event = value;
      else if (field === "id") id = value;
      else if (field === "data") data.push(value);
    }
    const text = data.join("\n");
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    received.push({ event, ...(id !== undefined ? { id } : {}), data: text, json });
  };
  const reading = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        raw += text;
        buffer += text;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          parseBlock(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
        notify();
      }
    } catch {
      // aborted or reset: the stream is over either way
    } finally {
      ended = true;
      notify();
    }
  })();

  const next = async (timeoutMs = 5000): Promise<StreamEvent> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (cursor < received.length) {
        const event = received[cursor++] as StreamEvent;
        if (!event.event.startsWith(":")) return event;
      }
      if (ended) throw new Error(`the stream ended; received: ${raw.slice(-500)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms; received: ${raw.slice(-500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    received,
    text: () => raw,
    next,
    async take(count, timeoutMs) {
      const events: StreamEvent[] = [];
      for (let i = 0; i < count; i++) events.push(await next(timeoutMs));
      return events;
    },
    async until(name, timeoutMs) {
      const events: StreamEvent[] = [];
      for (;;) {
        const event = await next(timeoutMs);
        events.push(event);
        if (event.event === name) return events;
      }
    },
    ended: reading,
    isEnded: () => ended,
    close: () => abort.abort(),
  };
}
