import { type Static } from "@sinclair/typebox";
import { Message, Repeated, Str, Timestamp, Uint64 } from "../proto.js";
import { meshScopedResource } from "./meta.js";

/** Counters of one xDS discovery service (64-bit, strings on the wire). */
export const DiscoveryServiceStats = Message({
  responsesSent: Uint64(),
  responsesAcknowledged: Uint64(),
  responsesRejected: Uint64(),
});
export type DiscoveryServiceStats = Static<typeof DiscoveryServiceStats>;

export const DiscoverySubscriptionStatus = Message({
  lastUpdateTime: Timestamp(),
  total: DiscoveryServiceStats,
  cds: DiscoveryServiceStats,
  eds: DiscoveryServiceStats,
  lds: DiscoveryServiceStats,
  rds: DiscoveryServiceStats,
});
export type DiscoverySubscriptionStatus = Static<typeof DiscoverySubscriptionStatus>;

/** One xDS stream of a dataplane to a control plane instance. */
export const DiscoverySubscription = Message({
  id: Str(),
  controlPlaneInstanceId: Str(),
  connectTime: Timestamp(),
  disconnectTime: Timestamp(),
  status: DiscoverySubscriptionStatus,
});
export type DiscoverySubscription = Static<typeof DiscoverySubscription>;

/** The spec of a DataplaneInsight. */
export const DataplaneInsightSpec = Message({ subscriptions: Repeated(DiscoverySubscription) });
export type DataplaneInsightSpec = Static<typeof DataplaneInsightSpec>;

/** Status of a dataplane's xDS subscriptions. */
export const DataplaneInsight = meshScopedResource("DataplaneInsight", DataplaneInsightSpec);
export type DataplaneInsight = Static<typeof DataplaneInsight>;
