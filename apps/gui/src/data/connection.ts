/**
 * Whether the API answers (gui.md §4): Connected, Reconnecting (it did, and
 * a later request got no answer or a 502/503: the "lost" banner) or
 * Unreachable (it never did: the full-page state). While it does not answer,
 * the index is probed every 5 s, backing off to 30 s; on recovery every
 * mounted source is read again.
 */
import { ref, type Ref } from "vue";
import { isConnectionError, toGuiError, type GuiError } from "../api/gui-error.js";

export type ApiStatus = "connecting" | "connected" | "reconnecting" | "unreachable";

export const FIRST_RETRY_MS = 5000;
export const MAX_RETRY_MS = 30_000;

export interface Connection {
  readonly status: Ref<ApiStatus>;
  /** The error that made the API unreachable or lost. */
  readonly error: Ref<GuiError | undefined>;
  /** When a request last succeeded: the age of what the pages show while the API is lost. */
  readonly lastSuccessAt: Ref<number | undefined>;
  /** When the next automatic retry is due. */
  readonly nextRetryAt: Ref<number | undefined>;
  /** Every request's outcome: undefined for a success. */
  report(error: GuiError | undefined): void;
  /** Probes the API now (the Retry buttons; the first call at start-up). */
  retryNow(): Promise<void>;
  stop(): void;
}

export function createConnection(options: {
  /** A cheap request that succeeds when the API answers (`GET /api/`). */
  probe(): Promise<unknown>;
  /** Called when the API answers again after being lost or unreachable. */
  onRecovered(): void;
  now?: () => number;
}): Connection {
  const now = options.now ?? Date.now;
  const status = ref<ApiStatus>("connecting");
  const error = ref<GuiError | undefined>();
  const lastSuccessAt = ref<number | undefined>();
  const nextRetryAt = ref<number | undefined>();
  let delay = FIRST_RETRY_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const schedule = (): void => {
    if (timer !== undefined) return;
    nextRetryAt.value = now() + delay;
    timer = setTimeout(() => {
      timer = undefined;
      void retryNow();
    }, delay);
    delay = Math.min(delay * 2, MAX_RETRY_MS);
  };

  const report = (outcome: GuiError | undefined): void => {
    if (outcome === undefined) {
      const recovered = status.value === "reconnecting" || status.value === "unreachable";
      status.value = "connected";
      error.value = undefined;
      lastSuccessAt.value = now();
      delay = FIRST_RETRY_MS;
      clearTimeout(timer);
      timer = undefined;
      nextRetryAt.value = undefined;
      if (recovered) options.onRecovered();
      return;
    }
    if (!isConnectionError(outcome)) return; // the API answered
    error.value = outcome;
    status.value = lastSuccessAt.value === undefined ? "unreachable" : "reconnecting";
    schedule();
  };

  async function retryNow(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    try {
      await options.probe();
      report(undefined);
    } catch (failure) {
      const guiError = toGuiError(failure);
      // Any answer of the API, even an error, means it is there.
      report(isConnectionError(guiError) ? guiError : undefined);
    }
  }

  return {
    status,
    error,
    lastSuccessAt,
    nextRetryAt,
    report,
    retryNow,
    stop: () => clearTimeout(timer),
  };
}
