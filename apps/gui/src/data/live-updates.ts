/**
 * Live updates (gui.md §6): the header's `Live: push | Off`, the change
 * feed for what is on screen, and conditional polling whenever the feed is
 * refused (503, or no feed) or fails three times in a row, trying the feed
 * again after 60 s. Polling re-reads every mounted source that no open
 * watch feeds (`If-None-Match` for items, a body hash for lists), at most
 * six at a time (the sources' limiter), and pauses while the page is hidden.
 *
 * Views on screen together that watch the same target (the mesh selector
 * and the overview or the meshes page: `/meshes?watch=true`) share one
 * stream: browsers allow six connections per origin, and the GUI keeps to
 * two watches (§6).
 */
import { ref, type Ref } from "vue";
import { FeedRefused, type ChangeEvent, type ChangeFeed, type WatchTarget } from "./change-feed.js";
import type { Sources } from "./sources.js";

export type LiveMode = "push" | "off";
/** What actually feeds the page: the change feed, polling, or nothing. */
export type FeedState = "push" | "polling" | "off";

/** How often polling re-reads the mounted sources. */
export const POLL_INTERVAL_MS = 5000;
/** After a refused or failing feed, polling for this long before the feed is tried again. */
export const FEED_RETRY_MS = 60_000;
/** A watch that fails this many times in a row gives way to polling. */
export const FEED_FAILURES_BEFORE_POLLING = 3;
/** Between two failed watches: the server's `retry: 1000`. */
export const FEED_RECONNECT_MS = 1000;
/**
 * A shared watch keeps the events it received this long (and at most
 * RECENT_EVENTS_KEPT of them) for the views that join it: a view read its
 * list a moment before it joins, and gets what the stream brought since.
 */
export const RECENT_EVENTS_MS = 30_000;
export const RECENT_EVENTS_KEPT = 200;

/** Whether the page is visible, and when that changes. */
export interface Visibility {
  hidden(): boolean;
  onChange(listener: () => void): () => void;
}

/** Where the mode is kept across reloads. */
export interface ModeStore {
  load(): LiveMode | undefined;
  save(mode: LiveMode): void;
}

/** A view's watch: what it watches, from where, which sources the feed keeps current, and what to do with events. */
export interface PageWatch {
  readonly target: WatchTarget;
  /** The resume token of the view's read (a list's `Kuma-Resume-Token`). */
  readonly since: string | undefined;
  /** When the read that gave `since` was sent (the live updates' clock). */
  readonly readAt: number;
  /** The sources the view keeps current from the events: polling leaves them alone while the watch is open. */
  sourceKeys(): readonly string[];
  onEvent(event: ChangeEvent): void;
}

export interface LiveUpdates {
  readonly mode: Ref<LiveMode>;
  readonly feedState: Ref<FeedState>;
  setMode(mode: LiveMode): void;
  /** Watches for a view while it is shown; returns the function that stops it. */
  watchPage(watch: PageWatch): () => void;
  /** Stops the timers (the app is unmounted). */
  stop(): void;
}

export interface LiveUpdatesOptions {
  readonly sources: Sources;
  readonly feed: ChangeFeed;
  readonly visibility: Visibility;
  readonly modeStore: ModeStore;
  readonly pollIntervalMs?: number;
  readonly feedRetryMs?: number;
  readonly now?: () => number;
}

/** The one stream of a target and the views it feeds. */
interface SharedWatch {
  readonly views: Set<PageWatch>;
  /** The stream is open: the views' sources are not polled. */
  fed: boolean;
  /** The feed was refused or failed: the views are polled until it is tried again. */
  polling: boolean;
  /** The events received lately, for views that join (oldest first). */
  readonly recent: { readonly at: number; readonly event: ChangeEvent }[];
  /** Events received up to this time may have left `recent`. */
  forgottenUpTo: number;
  stop(): void;
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const feedRetryMs = options.feedRetryMs ?? FEED_RETRY_MS;
  const now = options.now ?? Date.now;
  const mode = ref<LiveMode>(options.modeStore.load() ?? "push");
  const feedState = ref<FeedState>(mode.value === "off" ? "off" : "polling");
  /** One shared watch per target (by its JSON). */
  const watches = new Map<string, SharedWatch>();

  /**
   * What the header shows: polling while any watch is refused, push while
   * one is open, else what it was (a stream being opened or resumed).
   */
  const showFeedState = (): void => {
    if (mode.value === "off") feedState.value = "off";
    else if ([...watches.values()].some((shared) => shared.polling)) feedState.value = "polling";
    else if ([...watches.values()].some((shared) => shared.fed)) feedState.value = "push";
  };

  /** Keys of the sources an open watch keeps current: polling leaves them alone. */
  const fedKeys = (): Set<string> => {
    const keys = new Set<string>();
    for (const shared of watches.values()) {
      if (!shared.fed) continue;
      for (const view of shared.views) for (const key of view.sourceKeys()) keys.add(key);
    }
    return keys;
  };

  const poll = (): void => {
    if (mode.value === "off" || options.visibility.hidden()) return;
    const fed = fedKeys();
    for (const source of options.sources.active()) {
      if (!fed.has(source.key)) void source.refresh();
    }
  };
  let timer = setInterval(poll, pollIntervalMs);
  const stopVisibility = options.visibility.onChange(() => {
    if (options.visibility.hidden()) return;
    // Visible again: catch up at once, then on the usual beat.
    clearInterval(timer);
    poll();
    timer = setInterval(poll, pollIntervalMs);
  });

  /** Opens the stream of `target` (its watch kept under `key`) from the first view's resume token. */
  const openShared = (key: string, target: WatchTarget, first: PageWatch): void => {
    let stopped = false;
    let controller: AbortController | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let since = first.since;
    const shared: SharedWatch = {
      views: new Set([first]),
      fed: false,
      polling: false,
      recent: [],
      forgottenUpTo: -Infinity,
      stop: () => {
        stopped = true;
        shared.fed = false;
        clearTimeout(retry);
        controller?.abort();
      },
    };
    const remember = (event: ChangeEvent): void => {
      const at = now();
      shared.recent.push({ at, event });
      while (
        shared.recent.length > RECENT_EVENTS_KEPT ||
        shared.recent[0]!.at < at - RECENT_EVENTS_MS
      ) {
        shared.forgottenUpTo = shared.recent.shift()!.at;
      }
    };
    const run = async (): Promise<void> => {
      let failures = 0;
      while (!stopped && mode.value === "push") {
        controller = new AbortController();
        // An open stream (or its first event) feeds the views: polling leaves their sources alone.
        const feeding = (): void => {
          failures = 0;
          if (shared.fed || stopped) return;
          shared.fed = true;
          shared.polling = false;
          showFeedState();
        };
        try {
          for await (const event of options.feed.watch(target, since, controller.signal, feeding)) {
            feeding();
            if (event.kind !== "reset") since = undefined; // the feed resumes by itself from here
            remember(event);
            for (const view of [...shared.views]) view.onEvent(event);
          }
          if (stopped) return;
        } catch (error) {
          if (stopped) return;
          failures++;
          if (error instanceof FeedRefused || failures >= FEED_FAILURES_BEFORE_POLLING) break;
        } finally {
          shared.fed = false;
        }
        await new Promise((resolve) => (retry = setTimeout(resolve, FEED_RECONNECT_MS)));
      }
      if (stopped || mode.value !== "push") return;
      shared.polling = true;
      showFeedState();
      retry = setTimeout(() => void run(), feedRetryMs);
    };
    watches.set(key, shared);
    void run();
  };

  /**
   * A view joins the open stream of its target. The stream is past the
   * view's read: the view is handed the events received since that read was
   * sent (a write after the read reached the stream after it), or told to
   * read again (`reset`) when some of them are no longer kept. An event
   * from just before the read may come twice; applying it again is harmless.
   * The stream covers what followed its own start only: of two reads made
   * at once (the selector's and the page's at first load), one may be a
   * few milliseconds older than the stream's start; a write in that window
   * shows at the next change or Refresh.
   */
  const join = (shared: SharedWatch, view: PageWatch): void => {
    shared.views.add(view);
    const missed: ChangeEvent[] =
      view.readAt <= shared.forgottenUpTo
        ? [{ kind: "reset", reason: "the shared watch no longer has what followed the read" }]
        : shared.recent.filter(({ at }) => at >= view.readAt).map(({ event }) => event);
    if (missed.length === 0) return;
    // After the view's setup is done, as for the events of the stream.
    queueMicrotask(() => {
      for (const event of missed) if (shared.views.has(view)) view.onEvent(event);
    });
  };

  const watchPage = (view: PageWatch): (() => void) => {
    const key = JSON.stringify(view.target);
    const found = watches.get(key);
    if (found) join(found, view);
    else openShared(key, view.target, view);
    return () => {
      const shared = watches.get(key);
      if (!shared?.views.delete(view) || shared.views.size > 0) return;
      shared.stop();
      watches.delete(key);
      showFeedState();
    };
  };

  return {
    mode,
    feedState,
    setMode(next) {
      mode.value = next;
      options.modeStore.save(next);
      feedState.value = next === "off" ? "off" : "polling";
      if (next === "push") poll();
    },
    watchPage,
    stop() {
      clearInterval(timer);
      stopVisibility();
      for (const shared of watches.values()) shared.stop();
      watches.clear();
    },
  };
}
