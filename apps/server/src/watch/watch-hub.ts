/**
 * The watches of one server: the open streams (at most `maxStreams`), one
 * follower per history being watched (a mesh's, or the meshes'), shared by
 * every stream on it, and the heartbeat.
 *
 * A follower reads its history from where it last stopped whenever the
 * store reports a change of that mesh (and every second, in case a report
 * was lost), and hands the changes to its streams; a stream keeps the token
 * of the last change it took, so it takes each change exactly once. Reading
 * the history, not the reports, is what makes the order and exactness hold
 * across replicas. When the store becomes unreachable (a read fails, or the
 * change feed lost its connection) the followers end their streams: their
 * clients resume with their last token once it is back (watch.md §4).
 */
import type { HistoryEntry, ResourceStore, Unwatch } from "@kuma-ts/store";
import { compareResumeTokens } from "@kuma-ts/store";
import { ApiError, Title } from "../http/api-error.js";
import type { SseStream } from "./sse-stream.js";

/** How many changes one read of a history takes at most. */
export const HISTORY_BATCH = 1000;
/** The least time between two reads of one history while changes keep coming. */
const READ_INTERVAL_MS = 10;
/** How often followers read their history even without a report of a change. */
const POLL_MS = 1000;

/** What the hub needs. */
export interface WatchHubOptions {
  readonly store: ResourceStore;
  readonly heartbeatMs: number;
  readonly maxStreams: number;
  readonly maxBufferedEvents: number;
}

/** One open watch, as the hub and its follower see it. */
export interface Subscriber {
  /** Changes of the followed history, in order; some may precede what the watch already has. */
  offer(entries: readonly HistoryEntry[]): void;
  /** Ends the watch from the server's side. */
  end(): void;
  readonly stream: SseStream | undefined;
}

/** Reads one history for all the watches on it. */
export class HistoryFollower {
  readonly subscribers = new Set<Subscriber>();
  /** Resolves once the follower knows where the history is now. */
  readonly ready: Promise<void>;
  private cursor: string | undefined;
  private reading = false;
  private again = false;
  private failed = false;
  private lastRead = -Infinity;

  constructor(
    private readonly hub: WatchHub,
    readonly mesh: string | undefined,
  ) {
    this.ready = hub.store.historyToken(mesh).then(
      (token) => {
        this.cursor = token;
      },
      (error: unknown) => {
        this.fail();
        throw error;
      },
    );
  }

  /** Reads what was written since the last read (once more after the current read, if one runs). */
  wake(): void {
    if (this.cursor === undefined || this.failed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    // Under a stream of writes, reads (and so each stream's writes to its socket) are at least
    // READ_INTERVAL_MS apart: the changes in between go out together, whatever the write rate.
    this.reading = true;
    const wait = this.lastRead + READ_INTERVAL_MS - performance.now();
    if (wait > 0) setTimeout(() => void this.read(), wait);
    else setImmediate(() => void this.read());
  }

  /** Ends every watch on this history and forgets it (the next watch starts a new follower). */
  fail(): void {
    if (this.failed) return;
    this.failed = true;
    this.hub.forget(this);
    for (const subscriber of [...this.subscribers]) subscriber.end();
  }

  private async read(): Promise<void> {
    this.reading = true;
    this.again = false;
    this.lastRead = performance.now();
    try {
      for (;;) {
        const read = await this.hub.store.readHistory(
          this.mesh,
          this.cursor as string,
          HISTORY_BATCH,
        );
        if (this.failed) return;
        if (read.status === "reset") {
          this.fail();
          return;
        }
        const last = read.entries[read.entries.length - 1];
        if (last) {
          this.cursor = last.token;
          for (const subscriber of [...this.subscribers]) subscriber.offer(read.entries);
        }
        if (!read.more) break;
      }
    } catch {
      this.fail();
    } finally {
      this.reading = false;
    }
    // Changes reported during the read: read again, no sooner than the interval allows.
    if (this.again && !this.failed) this.wake();
  }
}

/** The watches of one server. */
export class WatchHub {
  readonly store: ResourceStore;
  readonly maxBufferedEvents: number;
  private readonly maxStreams: number;
  private readonly heartbeatMs: number;
  private readonly open = new Set<Subscriber>();
  private readonly followers = new Map<string, HistoryFollower>();
  private watching: Promise<Unwatch> | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(options: WatchHubOptions) {
    this.store = options.store;
    this.maxStreams = options.maxStreams;
    this.maxBufferedEvents = options.maxBufferedEvents;
    this.heartbeatMs = options.heartbeatMs;
  }

  /** How many watches are open. */
  get size(): number {
    return this.open.size;
  }

  /** Counts a new watch in; 503 beyond `maxStreams` or once the server is stopping. */
  admit(subscriber: Subscriber): void {
    if (this.closed || this.open.size >= this.maxStreams) {
      throw new ApiError(503, Title.retrieveList, "Too many watches");
    }
    this.open.add(subscriber);
    this.startTimers();
  }

  /** Counts a watch out. */
  release(subscriber: Subscriber): void {
    this.open.delete(subscriber);
    for (const follower of this.followers.values()) follower.subscribers.delete(subscriber);
    if (this.open.size === 0) this.stopTimers();
  }

  /** Adds `subscriber` to the follower of a history, and waits until that follower is ready. */
  async follow(mesh: string | undefined, subscriber: Subscriber): Promise<void> {
    await this.ensureWatching();
    const key = mesh ?? "";
    let follower = this.followers.get(key);
    if (!follower) {
      follower = new HistoryFollower(this, mesh);
      this.followers.set(key, follower);
    }
    follower.subscribers.add(subscriber);
    await follower.ready;
  }

  /** Drops a follower that failed. */
  forget(follower: HistoryFollower): void {
    const key = follower.mesh ?? "";
    if (this.followers.get(key) === follower) this.followers.delete(key);
  }

  /** Ends every watch and refuses new ones: a stopping server is not held up by watchers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const subscriber of [...this.open]) subscriber.end();
    this.stopTimers();
    const watching = this.watching;
    this.watching = undefined;
    if (watching) await (await watching.catch(() => undefined))?.();
  }

  /** Subscribes to the store's change reports once. */
  private ensureWatching(): Promise<Unwatch> {
    this.watching ??= this.store
      .watch(
        (event) => {
          this.followers.get(event.mesh)?.wake();
          if (event.type === "Mesh") this.followers.get("")?.wake();
        },
        () => {
          // Reports were lost while the feed was down: end every watch, their clients resume.
          for (const follower of [...this.followers.values()]) follower.fail();
        },
      )
      .catch((error: unknown) => {
        this.watching = undefined;
        throw error;
      });
    return this.watching;
  }

  private startTimers(): void {
    this.heartbeat ??= setInterval(() => {
      for (const subscriber of this.open) subscriber.stream?.comment("keep-alive");
    }, this.heartbeatMs);
    this.poll ??= setInterval(() => {
      for (const follower of this.followers.values()) follower.wake();
    }, POLL_MS);
    this.heartbeat.unref();
    this.poll.unref();
  }

  private stopTimers(): void {
    clearInterval(this.heartbeat);
    clearInterval(this.poll);
    this.heartbeat = undefined;
    this.poll = undefined;
  }
}

/** Whether token `a` comes after token `b` of the same history. */
export const isAfter = (a: string, b: string): boolean => compareResumeTokens(a, b) > 0;
