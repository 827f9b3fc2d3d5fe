/**
 * The Redis deployments the replicas share: a standalone redis-server or a
 * 3-master Redis Cluster, started by @kuma-ts/redis-harness, and the
 * KUMA_* variables that point a replica at them.
 */
import {
  startRedisCluster,
  startRedisServer,
  type RedisCluster,
  type RedisServer,
} from "@kuma-ts/redis-harness";

/** Which kind of Redis. */
export type BackendKind = "standalone" | "cluster";

/** A node address. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** A running Redis for the replicas of a test file. */
export interface RedisBackend {
  readonly kind: BackendKind;
  /** The standalone server, or every master of the cluster. */
  readonly nodes: readonly RedisNode[];
  /** The variables of a replica using this Redis under `keyPrefix`. */
  env(keyPrefix: string): Record<string, string>;
  stop(): Promise<void>;
}

/** Starts a standalone server or a 3-master cluster. */
export async function startRedisBackend(kind: BackendKind): Promise<RedisBackend> {
  if (kind === "standalone") return standaloneBackend(await startRedisServer());
  return clusterBackend(await startRedisCluster({ masters: 3 }));
}

/** A backend over a standalone server started by the caller (who may stop and restart it). */
export function standaloneBackend(server: RedisServer, url = server.url): RedisBackend {
  return {
    kind: "standalone",
    nodes: [{ host: server.host, port: server.port }],
    env: (keyPrefix) => ({
      KUMA_STORE_TYPE: "redis",
      KUMA_STORE_REDIS_URL: url,
      KUMA_STORE_REDIS_KEY_PREFIX: keyPrefix,
    }),
    stop: () => server.stop(),
  };
}

function clusterBackend(cluster: RedisCluster): RedisBackend {
  return {
    kind: "cluster",
    nodes: cluster.nodes,
    env: (keyPrefix) => ({
      KUMA_STORE_TYPE: "redis",
      KUMA_STORE_REDIS_MODE: "cluster",
      KUMA_STORE_REDIS_NODES: cluster.nodes.map((node) => `${node.host}:${node.port}`).join(","),
      KUMA_STORE_REDIS_KEY_PREFIX: keyPrefix,
    }),
    stop: () => cluster.stop(),
  };
}

let prefixes = 0;

/** A key prefix no other test of this run uses, so that tests can share one Redis. */
export function uniquePrefix(label: string): string {
  return `e2e-${label}-${process.pid}-${++prefixes}`;
}
