/**
 * Live updates (gui.md §6): the header's `Live: push | Off`, the change
 * feed for the page in view, and conditional polling whenever the feed is
 * refused (503, or no feed) or fails three times in a row, trying the feed
 * again after 60 s. Polling re-reads every mounted source that no watch
 * feeds (`If-None-Match` for items, a body hash for lists), at most six at
 * a time (the sources' limiter), and pauses while the page is hidden.
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

/** A page's watch: what it watches, from where, which sources the feed keeps current, and what to do with events. */
export interface PageWatch {
  readonly target: WatchTarget;
  readonly since: string | undefined;
  readonly sourceKeys: readonly string[];
  onEvent(event: ChangeEvent): void;
}

export interface LiveUpdates {
  readonly mode: Ref<LiveMode>;
  readonly feedState: Ref<FeedState>;
  setMode(mode: LiveMode): void;
  /** Watches for a page while it is shown; returns the function that stops it. */
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
}

export function createLiveUpdates(options: LiveUpdatesOptions): LiveUpdates {
  const pollIntervalMs = options.pollIntervalMs ?? POLL_INTERVAL_MS;
  const feedRetryMs = options.feedRetryMs ?? FEED_RETRY_MS;
  const mode = ref<LiveMode>(options.modeStore.load() ?? "push");
  const feedState = ref<FeedState>(mode.value === "off" ? "off" : "polling");
  /** Keys of the sources an open watch keeps current: polling leaves them alone. */
  const fedKeys = new Map<string, number>();
  const stopPage = new Set<() => void>();

  const poll = (): void => {
    if (mode.value === "off" || options.visibility.hidden()) return;
    for (const source of options.sources.active()) {
      if (!fedKeys.has(source.key)) void source.refresh();
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

  const feedKeys = (keys: readonly string[], delta: 1 | -1): void => {
    for (const key of keys) {
      const count = (fedKeys.get(key) ?? 0) + delta;
      if (count > 0) fedKeys.set(key, count);
      else fedKeys.delete(key);
    }
  };

  const watchPage = (watch: PageWatch): (() => void) => {
    let stopped = false;
    let controller: AbortController | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let since = watch.since;
    const run = async (): Promise<void> => {
      let failures = 0;
      while (!stopped && mode.value === "push") {
        controller = new AbortController();
        let fed = false;
        // An open stream (or its first event) feeds the page: polling leaves its sources alone.
        const feeding = (): void => {
          failures = 0;
          if (fed || stopped) return;
          fed = true;
          feedKeys(watch.sourceKeys, 1);
          feedState.value = "push";
        };
        try {
          for await (const event of options.feed.watch(
            watch.target,
            since,
            controller.signal,
            feeding,
          )) {
            feeding();
            if (event.kind !== "reset") since = undefined; // the feed resumes by itself from here
            watch.onEvent(event);
          }
          if (stopped) return;
        } catch (error) {
          if (stopped) return;
          failures++;
          if (error instanceof FeedRefused || failures >= FEED_FAILURES_BEFORE_POLLING) break;
        } finally {
          if (fed) feedKeys(watch.sourceKeys, -1);
        }
        await new Promise((resolve) => (retry = setTimeout(resolve, FEED_RECONNECT_MS)));
      }
      if (stopped || mode.value !== "push") return;
      feedState.value = "polling";
      retry = setTimeout(() => void run(), feedRetryMs);
    };
    void run();
    const stop = (): void => {
      stopped = true;
      clearTimeout(retry);
      controller?.abort();
      stopPage.delete(stop);
    };
    stopPage.add(stop);
    return stop;
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
      for (const stop of [...stopPage]) stop();
    },
  };
}
