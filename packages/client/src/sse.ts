/**
 * A Server-Sent Events parser following the WHATWG rules
 * (https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation):
 * fed raw bytes in chunks cut anywhere (inside a line, between CR and LF,
 * inside a UTF-8 character), it hands back each dispatched event and each
 * valid `retry`. Comments are skipped; no I/O happens here.
 */

/** What the stream delivered. */
export type SseMessage =
  | {
      readonly type: "event";
      /** The `event` field, `message` when absent. */
      readonly event: string;
      /** The `data` lines joined with LF. */
      readonly data: string;
      /** The last event ID at dispatch: the event's own `id`, or the one before it persists. */
      readonly lastEventId: string;
    }
  /** A `retry` field of digits only: the reconnection time in milliseconds. */
  | { readonly type: "retry"; readonly ms: number };

/** A parser of one stream. */
export class SseParser {
  private readonly decoder = new TextDecoder("utf-8");
  private buffer = "";
  /** The previous chunk ended with CR: a LF starting the next one belongs to it. */
  private pendingCr = false;
  private firstChunk = true;
  private data: string[] | undefined;
  private eventType = "";
  /** The last event ID buffer (it persists across events, and may start from a resumed one). */
  private idBuffer: string;
  private lastId: string;

  constructor(lastEventId = "") {
    this.idBuffer = lastEventId;
    this.lastId = lastEventId;
  }

  /** The last event ID of the stream so far (what a reconnect sends as `Last-Event-ID`). */
  get lastEventId(): string {
    return this.lastId;
  }

  /** Parses one chunk; returns what it completed. */
  push(chunk: Uint8Array | string): SseMessage[] {
    let text = typeof chunk === "string" ? chunk : this.decoder.decode(chunk, { stream: true });
    if (this.firstChunk && text.length > 0) {
      this.firstChunk = false;
      // One leading U+FEFF BYTE ORDER MARK is ignored.
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    const out: SseMessage[] = [];
    if (text.length === 0) return out;
    if (this.pendingCr && text.startsWith("\n")) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf("\r", start);
      const lf = this.buffer.indexOf("\n", start);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === this.buffer.length) {
          // The LF of a CRLF may come with the next chunk.
          this.pendingCr = true;
          next = cr + 1;
        } else next = this.buffer.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer.slice(start, end), out);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    return out;
  }

  /**
   * The stream ended: a final event not followed by a blank line is dropped
   * (as the rules say); only the decoder's state is flushed.
   */
  end(): void {
    this.decoder.decode();
    this.buffer = "";
    this.data = undefined;
    this.eventType = "";
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === "") {
      this.dispatch(out);
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    switch (field) {
      case "event":
        this.eventType = value;
        break;
      case "data":
        (this.data ??= []).push(value);
        break;
      case "id":
        if (!value.includes("\0")) this.idBuffer = value;
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) out.push({ type: "retry", ms: Number(value) });
        break;
      default:
      // Any other field is ignored.
    }
  }

  private dispatch(out: SseMessage[]): void {
    this.lastId = this.idBuffer;
    const data = this.data;
    const event = this.eventType;
    this.data = undefined;
    this.eventType = "";
    if (data === undefined) return;
    out.push({
      type: "event",
      event: event || "message",
      data: data.join("\n"),
      lastEventId: this.lastId,
    });
  }
}
