/** The xDS counters of a dataplane's subscriptions, summed (strings on the wire: see counters.ts). */
import type { DataplaneOverview, DiscoveryServiceStats } from "@kuma-ts/model";
import { sumCounters } from "./counters.js";

export interface XdsTotals {
  readonly sent: string;
  readonly rejected: string;
}

/** Sent and rejected (NACKed) configuration updates over every subscription. */
export function xdsTotals(overview: DataplaneOverview): XdsTotals {
  const totals = (overview.dataplaneInsight?.subscriptions ?? []).map((s) => s.status?.total);
  return {
    sent: sumCounters(totals.map((t) => t?.responsesSent)),
    rejected: sumCounters(totals.map((t) => t?.responsesRejected)),
  };
}

/** `sent / ACKed / NACKed` of one discovery service. */
export function statsOf(stats: DiscoveryServiceStats | undefined): {
  sent: string;
  acked: string;
  nacked: string;
} {
  return {
    sent: sumCounters([stats?.responsesSent]),
    acked: sumCounters([stats?.responsesAcknowledged]),
    nacked: sumCounters([stats?.responsesRejected]),
  };
}
