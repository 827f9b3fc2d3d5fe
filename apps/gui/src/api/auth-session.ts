/**
 * The GUI's user token (auth.md §9): kept in sessionStorage only (never
 * localStorage or a cookie, which would outlive the tab and let an injected
 * script keep it), sent as `Authorization: Bearer`. Answers that concern
 * it — 401, 403, 429 — become a notice the shell shows; after a 429 the
 * GUI sends nothing until `Retry-After` has passed.
 */
import type { Fetch } from "@kuma-ts/client";
import { ref, type Ref } from "vue";

const TOKEN_KEY = "kuma-gui.token";

/** What the shell tells the user about authentication and limits. */
export type AuthNotice =
  | { readonly kind: "invalid-token" }
  | { readonly kind: "denied"; readonly details: string }
  | { readonly kind: "rate-limited"; readonly until: number };

/** The token and the notice, shared by the client's fetch and the views. */
export interface AuthSession {
  readonly token: Ref<string>;
  readonly notice: Ref<AuthNotice | undefined>;
  setToken(token: string): void;
  clearNotice(): void;
  /** A fetch that adds the token and reads 401/403/429. */
  wrap(fetch: Fetch): Fetch;
}

/** The longest back-off taken from a `Retry-After`. */
const MAX_BACKOFF_MS = 60_000;

export function createAuthSession(storage: Storage = sessionStorage, now: () => number = Date.now): AuthSession {
  const token = ref(storage.getItem(TOKEN_KEY) ?? "");
  const notice = ref<AuthNotice | undefined>();
  let pausedUntil = 0;
  return {
    token,
    notice,
    setToken(value) {
      const trimmed = value.trim();
      token.value = trimmed;
      if (trimmed === "") storage.removeItem(TOKEN_KEY);
      else storage.setItem(TOKEN_KEY, trimmed);
      notice.value = undefined;
    },
    clearNotice() {
      notice.value = undefined;
    },
    wrap(fetch) {
      return async (input, init) => {
        const wait = pausedUntil - now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const headers = new Headers(init?.headers);
        if (token.value !== "") headers.set("Authorization", `Bearer ${token.value}`);
        const response = await fetch(input, { ...init, headers });
        if (response.status === 401) {
          notice.value = { kind: "invalid-token" };
        } else if (response.status === 403) {
          const details = await response
            .clone()
            .json()
            .then((body: { details?: unknown }) => (typeof body.details === "string" ? body.details : "Access denied"))
            .catch(() => "Access denied");
          notice.value = { kind: "denied", details };
        } else if (response.status === 429) {
          const seconds = Number(response.headers.get("Retry-After"));
          const backoff = Math.min(MAX_BACKOFF_MS, (Number.isFinite(seconds) && seconds > 0 ? seconds : 1) * 1000);
          pausedUntil = now() + backoff;
          notice.value = { kind: "rate-limited", until: pausedUntil };
        } else if (response.ok && notice.value?.kind !== "denied") {
          notice.value = undefined;
        }
        return response;
      };
    },
  };
}
