/**
 * The truthful status of a dataplane (gui.md §3), from its overview: never
 * connected, online, online but stale (no config acknowledged for a while:
 * kuma #2320, an Online left behind by a control plane that crashed), or
 * offline with the time it was last seen.
 */
import type { DataplaneOverview, DiscoverySubscription } from "@kuma-ts/model";
import { millisOf } from "./time.js";

/** Online with no config update acknowledged for longer than this is shown as "Online (stale?)". */
export const STALE_AFTER_MS = 5 * 60 * 1000;

export type DataplaneStatusKind = "online" | "stale" | "offline" | "never";

/** A status with its words: the colour is never the only sign. */
export interface DataplaneStatus {
  readonly kind: DataplaneStatusKind;
  readonly label: string;
  /** Why, in a sentence fragment (a tooltip). */
  readonly explanation: string;
  /** The newest connect time (undefined when never connected). */
  readonly lastConnected: string | undefined;
  /** The newest disconnect time, for Offline. */
  readonly lastSeen: string | undefined;
  /** The newest `status.lastUpdateTime`. */
  readonly lastUpdated: string | undefined;
  /** The control plane instance of the newest subscription. */
  readonly controlPlane: string | undefined;
}

/** The subscriptions of an overview, newest connection first. */
export function subscriptionsOf(overview: DataplaneOverview): DiscoverySubscription[] {
  const subscriptions = overview.dataplaneInsight?.subscriptions ?? [];
  return [...subscriptions].sort(
    (a, b) => (millisOf(b.connectTime) ?? 0) - (millisOf(a.connectTime) ?? 0),
  );
}

function newest(times: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  let bestMillis = -Infinity;
  for (const time of times) {
    const millis = millisOf(time);
    if (millis !== undefined && millis > bestMillis) {
      best = time;
      bestMillis = millis;
    }
  }
  return best;
}

/** The status of a dataplane at time `now` (milliseconds). */
export function dataplaneStatus(overview: DataplaneOverview, now: number): DataplaneStatus {
  const subscriptions = subscriptionsOf(overview);
  const lastConnected = newest(subscriptions.map((s) => s.connectTime));
  const lastSeen = newest(subscriptions.map((s) => s.disconnectTime));
  const lastUpdated = newest(subscriptions.map((s) => s.status?.lastUpdateTime));
  const controlPlane = subscriptions[0]?.controlPlaneInstanceId;
  const times = { lastConnected, lastSeen, lastUpdated, controlPlane };
  if (subscriptions.length === 0) {
    return {
      kind: "never",
      label: "Never connected",
      explanation: "it has never connected to the control plane",
      ...times,
    };
  }
  const connected = subscriptions.some((s) => s.connectTime && !s.disconnectTime);
  if (!connected) {
    return {
      kind: "offline",
      label: "Offline",
      explanation: "all its connections to the control plane are closed",
      ...times,
    };
  }
  const updated = millisOf(lastUpdated);
  const quietMs = now - (updated ?? millisOf(lastConnected) ?? now);
  if (quietMs > STALE_AFTER_MS) {
    const minutes = Math.floor(quietMs / 60_000);
    return {
      kind: "stale",
      label: "Online (stale?)",
      explanation: `no config update acknowledged for ${minutes} min`,
      ...times,
    };
  }
  return {
    kind: "online",
    label: "Online",
    explanation: "connected to the control plane",
    ...times,
  };
}
