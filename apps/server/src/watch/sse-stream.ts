/**
 * One Server-Sent Events response (watch.md §2): the headers, `retry`, events
 * and comment lines, written straight to Node's response. What a slow client
 * has not read yet stays in Node's write buffer; past `maxBufferedEvents`
 * events written while that buffer is full, the stream is ended (the client
 * resumes with its token), so memory never grows without bound.
 */
import type { ServerResponse } from "node:http";

/** Why a stream ended, for the watcher that owns it. */
export type StreamEnd = "client" | "slow" | "server";

export class SseStream {
  /** Events written since the write buffer last filled; undefined while it is not full. */
  private congested: number | undefined;
  private ended = false;
  private corked = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly maxBufferedEvents: number,
    private readonly onEnd: (why: StreamEnd) => void,
  ) {
    res.once("close", () => this.finish("client"));
    res.on("drain", () => {
      this.congested = undefined;
    });
  }

  /** Whether the stream is over (ended by either side). */
  get isEnded(): boolean {
    return this.ended;
  }

  /** Sends the headers (and those already set on the response) and `retry: 1000`. */
  start(): void {
    this.res.writeHead(200, {
      "Content-Type": "text/event-stream",
      "Cache-Control": "no-cache",
      // Proxies that buffer (nginx) must pass events on as they come.
      "X-Accel-Buffering": "no",
    });
    this.res.flushHeaders();
    this.write("retry: 1000\n\n");
  }

  /** Writes one event; `data` is one line of JSON. */
  event(name: string, data: string, id?: string): void {
    if (this.ended) return;
    this.writeFrame(`${id === undefined ? "" : `id: ${id}\n`}event: ${name}\ndata: ${data}\n\n`);
  }

  /** Writes one event already framed (`id`, `event`, `data`, blank line): the text shared by many streams. */
  writeFrame(frame: string | Buffer): void {
    if (this.ended) return;
    this.write(frame);
    if (this.congested !== undefined && ++this.congested > this.maxBufferedEvents) {
      this.finish("slow");
    }
  }

  /** Writes `events` framed events (`id`, `event`, `data`, blank line) in one write: bytes that many streams may share. */
  writeBatch(bytes: Buffer, events: number): void {
    if (this.ended) return;
    this.write(bytes);
    if (this.congested !== undefined && (this.congested += events) > this.maxBufferedEvents) {
      this.finish("slow");
    }
  }

  /** Writes a comment line (a heartbeat). */
  comment(text: string): void {
    if (!this.ended) this.write(`: ${text}\n\n`);
  }

  /**
   * Ends the stream from the server's side: at once for a slow client (its
   * unread events are dropped), after what is buffered otherwise.
   */
  end(why: StreamEnd = "server"): void {
    this.finish(why);
  }

  private write(text: string | Buffer): void {
    // The events of one turn of the event loop (a batch read from the history) go out in one write.
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      process.nextTick(() => {
        this.corked = false;
        this.res.uncork();
      });
    }
    if (!this.res.write(text) && this.congested === undefined) this.congested = 0;
  }

  private finish(why: StreamEnd): void {
    if (this.ended) return;
    this.ended = true;
    if (why === "slow") this.res.destroy();
    else if (why === "server") {
      this.res.end();
      // The connection is not reused: a drain then finds it closed, not idle.
      this.res.socket?.end();
    }
    this.onEnd(why);
  }
}
