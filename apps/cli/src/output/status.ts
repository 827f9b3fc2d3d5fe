/** The status columns of `inspect dataplanes`, computed from a DataplaneInsight. */
import {
  formatGoDuration,
  parseTimestamp,
  type DataplaneInsightSpec,
  type DiscoverySubscription,
} from "@kuma-ts/model";

/** STATUS, LAST CONNECTED AGO, LAST UPDATED AGO, TOTAL UPDATES, TOTAL ERRORS. */
export interface DataplaneStatusColumns {
  readonly status: "Online" | "Offline";
  readonly lastConnected: string;
  readonly lastUpdated: string;
  readonly totalUpdates: string;
  readonly totalErrors: string;
}

/** The columns at the time `now` (nanoseconds since the epoch). */
export function dataplaneStatus(
  insight: DataplaneInsightSpec,
  now: bigint,
): DataplaneStatusColumns {
  const subscriptions = (insight.subscriptions ?? []).map((s) => s ?? {});
  const online = subscriptions.some(
    (s) => s.connectTime !== undefined && s.disconnectTime === undefined,
  );
  const latest = latestSubscription(subscriptions);
  let updates = 0n;
  let errors = 0n;
  for (const s of subscriptions) {
    updates += BigInt(s.status?.total?.responsesSent ?? "0");
    errors += BigInt(s.status?.total?.responsesRejected ?? "0");
  }
  return {
    status: online ? "Online" : "Offline",
    lastConnected: ago(latest?.connectTime, now),
    lastUpdated: ago(latest?.status?.lastUpdateTime, now),
    totalUpdates: String(updates),
    totalErrors: String(errors),
  };
}

/** The subscription with the greatest connectTime (the first of equals; the first one when none has one). */
function latestSubscription(
  subscriptions: DiscoverySubscription[],
): DiscoverySubscription | undefined {
  let latest: DiscoverySubscription | undefined = subscriptions[0];
  let latestTime: bigint | undefined;
  for (const s of subscriptions) {
    const time = s.connectTime === undefined ? undefined : nanosOf(s.connectTime);
    if (time === undefined) continue;
    if (latestTime === undefined || time > latestTime) {
      latest = s;
      latestTime = time;
    }
  }
  return latest;
}

/** `now − time` truncated to whole seconds, Go style (`1m0s`); `never` without a time. */
function ago(time: string | undefined, now: bigint): string {
  const then = time === undefined ? undefined : nanosOf(time);
  if (then === undefined) return "never";
  const elapsed = now - then;
  return formatGoDuration((elapsed / 1_000_000_000n) * 1_000_000_000n);
}

/** Nanoseconds since the epoch of an RFC 3339 timestamp. */
export function nanosOf(timestamp: string): bigint | undefined {
  const parsed = parseTimestamp(timestamp);
  return parsed && BigInt(parsed.seconds) * 1_000_000_000n + BigInt(parsed.nanos);
}
