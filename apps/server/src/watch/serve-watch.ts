/**
 * Serving one watch request (watch.md): its parameters checked before
 * anything is sent (400, 406, 503 as any request), then `retry`, an
 * optional `reset`, either the snapshot and `synced` or the changes after
 * the client's token, then live changes and heartbeats until either side
 * ends the stream.
 */
import { INVALID_NAME_MESSAGE, isValidName, type Cause } from "@kuma-ts/model";
import {
  compareResumeTokens,
  isResumeToken,
  type HistoryEntry,
  type HistoryRead,
} from "@kuma-ts/store";
import { admitsMediaType } from "../http/accept.js";
import { ApiError, Title } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import { SseStream } from "./sse-stream.js";
import { HISTORY_BATCH, type Subscriber, type WatchHub } from "./watch-hub.js";
import type { RenderedEvent, WatchView } from "./views.js";

const badRequest = (causes: Cause[]): ApiError =>
  new ApiError(400, Title.retrieveList, "Bad Request", causes);

/** Whether the query asks for a watch: `watch=true|1`; any other value is a 400 (cause `watch`). */
export function isWatchRequest(query: ApiContext["query"]): boolean {
  const watch = query.watch;
  if (watch === undefined) return false;
  if (watch === "true" || watch === "1") return true;
  throw badRequest([{ field: "watch", message: "must be true or 1" }]);
}

/**
 * The checks every watch request passes before its stream starts; returns
 * the resume token, if any. `mesh`: the mesh of the path, if it has one.
 */
export function checkWatchRequest(ctx: ApiContext, mesh?: string): string | undefined {
  if (!admitsMediaType(ctx.get("Accept") || undefined, "text/event-stream")) {
    throw new ApiError(406, Title.notAcceptable, "a watch produces text/event-stream");
  }
  const causes: Cause[] = [];
  if (mesh !== undefined && !isValidName(mesh))
    causes.push({ field: "mesh", message: INVALID_NAME_MESSAGE });
  if (ctx.query.size !== undefined)
    causes.push({ field: "size", message: "paging is not available with watch" });
  if (ctx.query.offset !== undefined)
    causes.push({ field: "offset", message: "paging is not available with watch" });
  const header = ctx.get("Last-Event-ID");
  const since = ctx.query.since;
  const token = header !== "" ? header : Array.isArray(since) ? since[since.length - 1] : since;
  if (token !== undefined && token !== "" && !isResumeToken(token.trim())) {
    causes.push({ field: "since", message: "invalid resume token" });
  }
  if (causes.length > 0) throw badRequest(causes);
  return token === undefined || token === "" ? undefined : token.trim();
}

/** The SSE text of each event, made once for all the streams that send it. */
// Bytes, encoded once: a hundred streams of one change would otherwise encode its text a hundred times.
const frames = new WeakMap<RenderedEvent, Buffer>();

function frameOf(event: RenderedEvent, id: string): Buffer {
  let frame = frames.get(event);
  if (frame === undefined) {
    frame = Buffer.from(`id: ${id}\nevent: ${event.kind}\ndata: ${event.data}\n\n`);
    frames.set(event, frame);
  }
  return frame;
}

/** The events of a batch of changes as one buffer, by view, made once for every stream that sends the whole batch. */
const batches = new WeakMap<readonly HistoryEntry[], Map<string, SharedBatch>>();

interface SharedBatch {
  readonly bytes: Buffer;
  readonly events: number;
}

function sharedBatch(
  entries: readonly HistoryEntry[],
  view: WatchView,
  sharedAs: string,
): SharedBatch {
  let byView = batches.get(entries);
  if (byView === undefined) {
    byView = new Map();
    batches.set(entries, byView);
  }
  let batch = byView.get(sharedAs);
  if (batch === undefined) {
    const parts: Buffer[] = [];
    for (const entry of entries) {
      for (const event of view.render(entry) as RenderedEvent[])
        parts.push(frameOf(event, entry.token));
    }
    batch = {
      bytes: parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts),
      events: parts.length,
    };
    byView.set(sharedAs, batch);
  }
  return batch;
}

/** One open watch: takes changes from its follower and writes their events, in order, once each. */
class Watcher implements Subscriber {
  stream: SseStream | undefined;
  /** Until the start is written: changes handed over meanwhile, to deliver after it. */
  private pending: HistoryEntry[] | undefined = [];
  private readonly queue: HistoryEntry[] = [];
  private pumping = false;
  /** The token of the last change taken. */
  private last: string | undefined;
  /** After a snapshot: the versions it showed, so that changes it already showed are not sent again. */
  private shown: { versions: Map<string, string>; until: string } | undefined;
  private ended = false;
  private readonly endListeners: (() => void)[] = [];

  constructor(
    private readonly hub: WatchHub,
    private readonly view: WatchView,
  ) {}

  offer(entries: readonly HistoryEntry[]): void {
    if (this.ended) return;
    if (this.pending) {
      this.pending.push(...entries);
      if (this.pending.length > this.hub.maxBufferedEvents) this.end();
      return;
    }
    this.take(entries);
  }

  get isEnded(): boolean {
    return this.ended;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stream?.end();
    this.hub.release(this);
    for (const listener of this.endListeners.splice(0)) listener();
  }

  /** Calls `listener` once the watch ends. */
  onEnd(listener: () => void): void {
    if (this.ended) listener();
    else this.endListeners.push(listener);
  }

  /** The stream is open: what is written from now on goes to `stream`. */
  open(stream: SseStream): void {
    this.stream = stream;
  }

  /** Writes events without ids (the snapshot). */
  writeSnapshot(events: readonly RenderedEvent[]): void {
    for (const event of events) this.stream?.event("snapshot", event.data);
  }

  /** Goes live after `token`: what the follower handed over meanwhile, then what it hands over. */
  goLive(token: string, shown?: { versions: Map<string, string>; until: string }): void {
    this.last = token;
    this.shown = shown && shown.versions.size > 0 && shown.until !== token ? shown : undefined;
    const pending = this.pending ?? [];
    this.pending = undefined;
    this.take(pending);
  }

  /** Delivers changes read directly from the history (a resume), in order. */
  catchUp(entries: readonly HistoryEntry[]): void {
    this.take(entries);
  }

  private take(entries: readonly HistoryEntry[]): void {
    if (this.takeShared(entries)) return;
    for (const entry of entries) {
      if (this.last !== undefined && compareResumeTokens(entry.token, this.last) <= 0) continue;
      this.last = entry.token;
      this.queue.push(entry);
    }
    if (this.queue.length > this.hub.maxBufferedEvents) {
      this.stream?.end("slow");
      this.end();
      return;
    }
    void this.pump();
  }

  /**
   * The common case of many streams on one history: a live watch with
   * nothing queued takes a whole batch of new changes, and writes the bytes
   * every such watch of its view writes.
   */
  private takeShared(entries: readonly HistoryEntry[]): boolean {
    const sharedAs = this.view.sharedAs;
    const first = entries[0];
    const last = entries[entries.length - 1];
    if (
      sharedAs === undefined ||
      !first ||
      !last ||
      this.pumping ||
      this.queue.length > 0 ||
      this.shown
    )
      return false;
    if (this.last !== undefined && compareResumeTokens(first.token, this.last) <= 0) return false;
    this.last = last.token;
    const batch = sharedBatch(entries, this.view, sharedAs);
    if (batch.events > 0) this.stream?.writeBatch(batch.bytes, batch.events);
    return true;
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.queue.length > 0 && !this.ended) {
        // The events of the changes at hand go out in one write; a change whose events need a
        // read of the store (an overview) is awaited on its own, after what came before it.
        const frames: Buffer[] = [];
        let next = 0;
        let pending: { entry: HistoryEntry; events: Promise<RenderedEvent[]> } | undefined;
        for (; next < this.queue.length && !pending; next++) {
          const entry = this.queue[next] as HistoryEntry;
          if (this.alreadyShown(entry)) continue;
          const rendered = this.view.render(entry);
          if (Array.isArray(rendered))
            for (const event of rendered) frames.push(frameOf(event, entry.token));
          else pending = { entry, events: rendered };
        }
        this.queue.splice(0, next);
        if (frames.length > 0)
          this.stream?.writeBatch(
            frames.length === 1 ? (frames[0] as Buffer) : Buffer.concat(frames),
            frames.length,
          );
        if (pending) {
          const { entry, events } = pending;
          for (const event of await events) this.stream?.writeBatch(frameOf(event, entry.token), 1);
        }
      }
    } catch {
      // The store failed while rendering a change: end the stream, the client resumes.
      this.end();
    } finally {
      this.pumping = false;
    }
  }

  private alreadyShown(entry: HistoryEntry): boolean {
    const shown = this.shown;
    if (!shown) return false;
    if (compareResumeTokens(entry.token, shown.until) > 0) {
      this.shown = undefined;
      return false;
    }
    if (entry.kind === "deleted") return false;
    const version = shown.versions.get(`${entry.type}/${entry.name}`);
    return version !== undefined && BigInt(version) >= BigInt(entry.version);
  }
}

/** How often an open stream of a token user checks that its token is still valid (revocation, deleted key). */
export const TOKEN_RECHECK_MS = 2000;
/** setTimeout's longest delay; a later expiry is left to the periodic check. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A token user's stream ends when the token expires, and within
 * TOKEN_RECHECK_MS (plus the ≤ 1 s caches) of its revocation or of the
 * deletion of its signing key (auth.md §9); the client reconnects with a
 * fresh token.
 */
function endWithToken(ctx: ApiContext, watcher: Watcher): void {
  const token = ctx.state.token;
  const stillAuthenticated = ctx.state.stillAuthenticated;
  if (!token || !stillAuthenticated) return;
  const untilExpiry = token.expiresAt - Date.now();
  const expiry =
    untilExpiry < MAX_TIMER_MS
      ? setTimeout(() => watcher.end(), Math.max(0, untilExpiry))
      : undefined;
  const recheck = setInterval(() => {
    void stillAuthenticated().then(
      (valid) => {
        if (!valid) watcher.end();
      },
      () => undefined, // the store is unreachable: the stream's own failure handling applies
    );
  }, TOKEN_RECHECK_MS);
  expiry?.unref();
  recheck.unref();
  watcher.onEnd(() => {
    clearTimeout(expiry);
    clearInterval(recheck);
  });
}

/** Serves a watch of `view` (the request's parameters already checked by checkWatchRequest). */
export async function serveWatch(
  ctx: ApiContext,
  hub: WatchHub,
  view: WatchView,
  token: string | undefined,
): Promise<void> {
  const watcher = new Watcher(hub, view);
  // Rate limits (auth.md §8): at most maxWatchesPerClient open per caller; 429 before the stream starts.
  const releaseSlot = await ctx.state.admitWatch?.();
  try {
    hub.admit(watcher);
  } catch (error) {
    releaseSlot?.();
    throw error;
  }
  if (releaseSlot) watcher.onEnd(releaseSlot);
  endWithToken(ctx, watcher);
  try {
    await hub.follow(view.mesh, watcher);
    let reset: string | undefined;
    let first: HistoryRead | undefined;
    if (token !== undefined) {
      first = await hub.store.readHistory(view.mesh, token, HISTORY_BATCH);
      if (first.status === "reset") reset = first.reason;
    }
    const snapshot = token === undefined || reset !== undefined ? await view.snapshot() : undefined;
    // Where the snapshot's reads ended: changes up to there may already be in it.
    const snapshotEnd = snapshot ? await hub.store.historyToken(view.mesh) : undefined;

    // The store failed while this watch started (its follower ended it): as any request would.
    if (watcher.isEnded) throw new ApiError(503, Title.retrieveList, "Service Unavailable");
    ctx.respond = false;
    const stream = new SseStream(ctx.res, hub.maxBufferedEvents, () => watcher.end());
    watcher.open(stream);
    stream.start();
    if (reset !== undefined) stream.event("reset", JSON.stringify({ reason: reset }));
    if (snapshot) {
      watcher.writeSnapshot(snapshot.events);
      stream.event("synced", `{"total":${snapshot.events.length}}`, snapshot.token);
      watcher.goLive(snapshot.token, { versions: snapshot.versions, until: snapshotEnd as string });
      return;
    }
    // A resume: the changes after the token, read until the present, then live.
    let read = first as HistoryRead & { status: "ok" };
    let after = token as string;
    watcher.catchUp(read.entries);
    while (read.more && !stream.isEnded) {
      after = read.entries[read.entries.length - 1]?.token ?? after;
      const next = await hub.store.readHistory(view.mesh, after, HISTORY_BATCH);
      if (next.status === "reset") {
        stream.end();
        return;
      }
      read = next;
      watcher.catchUp(read.entries);
    }
    watcher.goLive(read.entries[read.entries.length - 1]?.token ?? after);
  } catch (error) {
    if (!ctx.res.headersSent) {
      watcher.end();
      throw error;
    }
    watcher.end();
  }
}
