/**
 * Named builders of the data the browser tests seed through the typed
 * client: meshes, dataplanes in every state (their insights are PUT as
 * Kuma 0.4's API allows, so no Envoy is needed), and policies.
 */
import type { KumaClient } from "@kuma-ts/client";
import {
  DataplaneInsightType,
  DataplaneType,
  resourceTypeByName,
  type Dataplane,
  type DataplaneInsight,
  type DiscoverySubscription,
  type Mesh,
  type Resource,
} from "@kuma-ts/model";

const ago = (ms: number): string => new Date(Date.now() - ms).toISOString();
const MINUTE = 60_000;

export function mesh(name: string, spec: Omit<Mesh, "type" | "name"> = {}): Mesh {
  return { type: "Mesh", name, ...spec };
}

export interface DataplaneOptions {
  readonly mesh?: string;
  /** The inbound's tags; `service` defaults to the name without its `-N` suffix. */
  readonly tags?: Record<string, string>;
  readonly address?: string;
  readonly port?: number;
  readonly outbounds?: readonly { port: number; service: string }[];
  readonly gateway?: boolean;
}

/** A dataplane with one inbound (or a gateway) and its outbounds. */
export function dataplane(name: string, options: DataplaneOptions = {}): Dataplane {
  const tags = { service: name.replace(/-\d+$/, ""), ...options.tags };
  return {
    type: "Dataplane",
    mesh: options.mesh ?? "default",
    name,
    networking: {
      address: options.address ?? "10.0.0.1",
      ...(options.gateway
        ? { gateway: { tags } }
        : { inbound: [{ port: options.port ?? 8080, servicePort: 80, tags }] }),
      ...(options.outbounds
        ? { outbound: options.outbounds.map((o) => ({ port: o.port, service: o.service })) }
        : {}),
    },
  };
}

/** xDS counters of a subscription: `"3"` on the wire. */
export interface Counters {
  readonly sent?: number;
  readonly rejected?: number;
}

function subscription(
  id: string,
  times: { connected: number; disconnected?: number; updated: number },
  counters: Counters = {},
): DiscoverySubscription {
  const sent = String(counters.sent ?? 3);
  const rejected = String(counters.rejected ?? 0);
  const acked = String((counters.sent ?? 3) - (counters.rejected ?? 0));
  return {
    id,
    controlPlaneInstanceId: "cp-1",
    connectTime: ago(times.connected),
    ...(times.disconnected === undefined ? {} : { disconnectTime: ago(times.disconnected) }),
    status: {
      lastUpdateTime: ago(times.updated),
      total: { responsesSent: sent, responsesAcknowledged: acked, responsesRejected: rejected },
      cds: { responsesSent: sent, responsesAcknowledged: acked, responsesRejected: rejected },
      eds: { responsesSent: "1", responsesAcknowledged: "1" },
      lds: { responsesSent: "1", responsesAcknowledged: "1" },
      rds: {},
    },
  };
}

function insight(of: Dataplane, subscriptions: DiscoverySubscription[]): DataplaneInsight {
  return { type: "DataplaneInsight", mesh: of.mesh, name: of.name, subscriptions };
}

/** A dataplane and, unless it never connected, its insight. */
export type SeededDataplane = readonly [Dataplane] | readonly [Dataplane, DataplaneInsight];

/** Connected 30 min ago, config acknowledged a minute ago. */
export function onlineDataplane(
  name: string,
  options: DataplaneOptions & { counters?: Counters[] } = {},
): SeededDataplane {
  const of = dataplane(name, options);
  const subs = (options.counters ?? [{}]).map((counters, i) =>
    subscription(
      `${name}-s${i}`,
      i === 0
        ? { connected: 30 * MINUTE, updated: MINUTE }
        : { connected: 90 * MINUTE, disconnected: 31 * MINUTE, updated: 40 * MINUTE },
      counters,
    ),
  );
  return [of, insight(of, subs)];
}

/** Connected, but no config acknowledged for 12 minutes (kuma #2320). */
export function staleDataplane(name: string, options: DataplaneOptions = {}): SeededDataplane {
  const of = dataplane(name, options);
  return [
    of,
    insight(of, [subscription(`${name}-s0`, { connected: 60 * MINUTE, updated: 12 * MINUTE })]),
  ];
}

/** Disconnected 3 hours ago. */
export function offlineDataplane(
  name: string,
  options: DataplaneOptions & { counters?: Counters } = {},
): SeededDataplane {
  const of = dataplane(name, options);
  return [
    of,
    insight(of, [
      subscription(
        `${name}-s0`,
        { connected: 300 * MINUTE, disconnected: 180 * MINUTE, updated: 200 * MINUTE },
        options.counters,
      ),
    ]),
  ];
}

/** Registered, never connected: no insight. */
export function neverConnectedDataplane(
  name: string,
  options: DataplaneOptions = {},
): SeededDataplane {
  return [dataplane(name, options)];
}

/** PUTs every resource through the typed client, in order. */
export async function seed(
  client: KumaClient,
  ...resources: (Resource | SeededDataplane)[]
): Promise<void> {
  for (const resource of resources.flatMap((r) => (Array.isArray(r) ? r : [r])) as Resource[]) {
    const type = resourceTypeByName(resource.type)!;
    await client.resources(type).put(resource as never);
  }
}

/** Many dataplanes at once (the request budget and first-render tests), PUT 16 at a time. */
export async function seedMany(
  client: KumaClient,
  items: readonly SeededDataplane[],
): Promise<void> {
  const queue = items.flatMap((item) => [...item]);
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      if (next.type === "Dataplane") await client.resources(DataplaneType).put(next as Dataplane);
      else await client.resources(DataplaneInsightType).put(next as DataplaneInsight);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}
