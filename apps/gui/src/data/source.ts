/**
 * One "source" per API URL (gui.md §3, as kuma-gui's DataSource): the state
 * `{data, error, loading, updatedAt, etag}` with `refresh()` and
 * `subscribe()`. A source is fed by conditional polling (the poller calls
 * `refresh()`) or by the change feed (`replace()`); views do not care which.
 * A refresh that finds nothing new (a 304, or a list whose body hashes the
 * same) leaves `data` untouched, so the page's DOM does not change.
 *
 * A refresh during a refresh shares it, which suits polling and Refresh. A
 * change learnt of (an event, a new token) wants more: a read sent after it,
 * which the shared one may not be — `readAfterNow()`.
 */
import { shallowReactive } from "vue";
import { toGuiError, type GuiError } from "../api/gui-error.js";
import { contentHash } from "./content-hash.js";
import type { Limiter } from "./limiter.js";

/** What a fetch found. */
export type Fetched<T> =
  /** The server still has the known version (304). */
  | { readonly changed: false }
  | {
      readonly changed: true;
      readonly data: T;
      /** The version of an ETag; a source without one compares body hashes instead. */
      readonly etag?: string | undefined;
      /** A list's `Kuma-Resume-Token`: where a watch of it starts. */
      readonly resumeToken?: string | undefined;
    };

/** Reads the source's URL, conditionally when `etag` is known. */
export type Fetcher<T> = (etag: string | undefined) => Promise<Fetched<T>>;

/** The observable state of a source. */
export interface SourceState<T> {
  data: T | undefined;
  error: GuiError | undefined;
  /** A request is on its way. */
  loading: boolean;
  /** When the data was last confirmed current (a 200 or a 304), in ms since the epoch. */
  updatedAt: number | undefined;
  etag: string | undefined;
  resumeToken: string | undefined;
  /** When the read that `resumeToken` came from was sent, in ms since the epoch. */
  readAt: number | undefined;
}

export interface Source<T> {
  readonly key: string;
  readonly state: SourceState<T>;
  /** Reads the URL again (one request at a time: a refresh during a refresh shares it). */
  refresh(): Promise<void>;
  /**
   * Makes sure a read sent from now on completes (something changed now):
   * reads now when no request has left; else reads once more after the one
   * on its way, whose answer may predate the change. The calls made during
   * one request share that one more read. Resolves when it is done.
   */
  readAfterNow(): Promise<void>;
  /** Registers a user of the source; the returned function unregisters it. */
  subscribe(): () => void;
  /** Sets the data from elsewhere (an event of the change feed carries the resource as a GET answers it). */
  replace(data: T, etag?: string): void;
}

/** Told the outcome of every request: undefined for a success. */
export type OutcomeListener = (error: GuiError | undefined) => void;

/** Creates a source. `onUnused` is called when its last subscriber leaves. */
export function createSource<T>(
  key: string,
  fetcher: Fetcher<T>,
  options: {
    limiter: Limiter;
    onOutcome?: OutcomeListener;
    onUnused?: () => void;
    now?: () => number;
  },
): Source<T> {
  const now = options.now ?? Date.now;
  const state = shallowReactive<SourceState<T>>({
    data: undefined,
    error: undefined,
    loading: false,
    updatedAt: undefined,
    etag: undefined,
    resumeToken: undefined,
    readAt: undefined,
  });
  let hash: string | undefined;
  let inFlight: Promise<void> | undefined;
  /** The request of `inFlight` has left (the limiter may still be holding it back). */
  let sent = false;
  /** The read to follow `inFlight`, once asked for. */
  let readAfterInFlight: Promise<void> | undefined;
  let subscribers = 0;

  const settle = (fetched: Fetched<T>, sentAt: number): void => {
    if (fetched.changed) {
      const nextHash = fetched.etag === undefined ? contentHash(fetched.data) : undefined;
      const same =
        fetched.etag === undefined ? nextHash === hash && state.data !== undefined : false;
      if (!same) state.data = fetched.data;
      hash = nextHash;
      state.etag = fetched.etag;
      if (fetched.resumeToken !== undefined) {
        state.resumeToken = fetched.resumeToken;
        state.readAt = sentAt;
      }
    }
    if (state.error !== undefined) state.error = undefined;
    state.updatedAt = now();
  };

  const refresh = (): Promise<void> => {
    inFlight ??= (async () => {
      state.loading = true;
      sent = false;
      try {
        let sentAt = now();
        const fetched = await options.limiter.run(() => {
          sent = true;
          sentAt = now();
          return fetcher(state.data === undefined ? undefined : state.etag);
        });
        settle(fetched, sentAt);
        options.onOutcome?.(undefined);
      } catch (error) {
        state.error = toGuiError(error);
        options.onOutcome?.(state.error);
      } finally {
        state.loading = false;
        inFlight = undefined;
      }
    })();
    return inFlight;
  };

  const readAfterNow = (): Promise<void> => {
    if (!inFlight || !sent) return refresh();
    readAfterInFlight ??= inFlight.then(() => {
      readAfterInFlight = undefined;
      return refresh();
    });
    return readAfterInFlight;
  };

  return {
    key,
    state,
    refresh,
    readAfterNow,
    subscribe() {
      subscribers++;
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        subscribers--;
        if (subscribers === 0) options.onUnused?.();
      };
    },
    replace(data, etag) {
      state.data = data;
      state.etag = etag;
      hash = etag === undefined ? contentHash(data) : undefined;
      state.updatedAt = now();
    },
  };
}
