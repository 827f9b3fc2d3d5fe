/** The Redis engine's options (config.md `store.redis.*`) and how they become ioredis clients. */
import { readFileSync } from "node:fs";
import type { ConnectionOptions } from "node:tls";
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from "ioredis";
import { GuardedSentinelConnector, GuardedStandaloneConnector } from "./connectors.js";
import type { RedisClient } from "./scripts.js";

/** TLS towards Redis; each of ca/cert/key given as contents or as a file path. */
export interface RedisTlsOptions {
  readonly enabled: boolean;
  /** PEM contents of the CA bundle to trust. */
  readonly ca?: string | Buffer;
  /** Path of a PEM CA bundle to trust. */
  readonly caPath?: string;
  /** PEM contents of the client certificate. */
  readonly cert?: string | Buffer;
  /** Path of the client certificate. */
  readonly certPath?: string;
  /** PEM contents of the client key. */
  readonly key?: string | Buffer;
  /** Path of the client key. */
  readonly keyPath?: string;
}

/** A Redis node address: `host:port` or an object. */
export type RedisNodeAddress = string | { readonly host: string; readonly port: number };

/** Options of createRedisStore. */
export interface RedisStoreOptions {
  /** `standalone` (default), `sentinel` or `cluster`. */
  readonly mode?: "standalone" | "sentinel" | "cluster";
  /**
   * `redis://[user[:password]@]host[:port][/db]` (`rediss://` for TLS). The
   * server in standalone mode; in cluster and sentinel mode the seed node
   * when `nodes` is empty. Default `redis://127.0.0.1:6379/0`.
   */
  readonly url?: string;
  /** Cluster seed nodes (cluster mode) or sentinels (sentinel mode). */
  readonly nodes?: readonly RedisNodeAddress[];
  /** The master's name, in sentinel mode. */
  readonly sentinelMasterName?: string;
  /** ACL user name; an empty string means none. */
  readonly username?: string;
  /** Password; an empty string means none. */
  readonly password?: string;
  /** Prefix of every key, so that several control planes can share one Redis. Default `kuma`. */
  readonly keyPrefix?: string;
  readonly tls?: RedisTlsOptions;
  /** How long establishing a connection may take. Default 5000. */
  readonly connectTimeoutMs?: number;
  /** How long any store operation may take before it fails with StoreUnavailableError. Default 2000. */
  readonly commandTimeoutMs?: number;
  /**
   * How many records already decoded the store keeps, to serve again without
   * decoding when Redis returns exactly the same text (version included);
   * 0 keeps none. Default 20000: a collection of up to 10,000 resources
   * listed again and again stays cached whole. A dataplane costs about 1.2 KB
   * of heap, so the default holds up to about 24 MB.
   */
  readonly recordCacheSize?: number;
  /** Changes retained per history for resuming watches (store.watchHistory), about; default 10000. */
  readonly watchHistory?: number;
  /** How long the history of a deleted mesh is kept for watchers resuming after its deletion (ms); default an hour. */
  readonly deletedMeshHistoryMs?: number;
  /** The clock of creationTime and modificationTime; `() => new Date()` when absent. */
  readonly now?: () => Date;
}

/** The defaults of config.md. */
export const REDIS_DEFAULTS = {
  url: "redis://127.0.0.1:6379/0",
  keyPrefix: "kuma",
  connectTimeoutMs: 5000,
  commandTimeoutMs: 2000,
  recordCacheSize: 20_000,
  watchHistory: 10_000,
  deletedMeshHistoryMs: 3_600_000,
} as const;

/** Creates the ioredis client for the options; it starts connecting at once and reconnects forever. */
export function createRedisClient(options: RedisStoreOptions): RedisClient {
  const url = new URL(options.url || REDIS_DEFAULTS.url);
  const connectTimeout = options.connectTimeoutMs ?? REDIS_DEFAULTS.connectTimeoutMs;
  const commandTimeout = options.commandTimeoutMs ?? REDIS_DEFAULTS.commandTimeoutMs;
  const username = options.username || decodeURIComponent(url.username) || undefined;
  const password = options.password || decodeURIComponent(url.password) || undefined;
  const tls = tlsOptions(options.tls, url);
  const credentials: RedisOptions = {
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    ...(tls ? { tls } : {}),
    Connector: GuardedStandaloneConnector,
    connectTimeout,
    commandTimeout,
    // Commands in flight when a connection drops fail at once instead of being resent later.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  };
  const connection: RedisOptions = {
    ...credentials,
    // A command is only ever written to a ready connection: nothing queues while Redis is away,
    // so nothing runs late after its caller was told the store is unavailable.
    enableOfflineQueue: false,
    // Parallel commands go out in one write.
    enableAutoPipelining: true,
    retryStrategy: (attempt: number) => Math.min(50 * attempt, 1000),
  };
  const mode = options.mode ?? "standalone";
  if (mode === "cluster") {
    const clusterOptions: ClusterOptions = {
      // Node connections keep ioredis's own settings (an offline queue while a node connects, no
      // reconnection of a lost node until the slots are refreshed); the cluster client refuses
      // commands while the cluster is not ready.
      redisOptions: credentials,
      enableOfflineQueue: false,
      // Parallel commands (a page of meshes, spread over slots) go out in one write per node.
      enableAutoPipelining: true,
      clusterRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
      slotsRefreshTimeout: Math.min(connectTimeout, commandTimeout),
    };
    return new Cluster(seedNodes(options.nodes, url), clusterOptions);
  }
  if (mode === "sentinel") {
    if (!options.sentinelMasterName) throw new TypeError("sentinel mode needs sentinelMasterName");
    return new Redis({
      ...connection,
      Connector: GuardedSentinelConnector,
      sentinels: seedNodes(options.nodes, url),
      name: options.sentinelMasterName,
      db: databaseOf(url),
      ...(tls ? { enableTLSForSentinelMode: true } : {}),
      sentinelRetryStrategy: (attempt: number) => Math.min(100 * attempt, 2000),
    });
  }
  return new Redis({
    ...connection,
    host: url.hostname || "127.0.0.1",
    port: Number(url.port || 6379),
    db: databaseOf(url),
  });
}

function databaseOf(url: URL): number {
  const db = Number(url.pathname.slice(1) || 0);
  if (!Number.isSafeInteger(db) || db < 0)
    throw new TypeError(`invalid database in Redis URL: ${url.pathname}`);
  return db;
}

function seedNodes(
  nodes: readonly RedisNodeAddress[] | undefined,
  url: URL,
): { host: string; port: number }[] {
  const list =
    nodes && nodes.length > 0 ? nodes : [`${url.hostname || "127.0.0.1"}:${url.port || 6379}`];
  return list.map((node) => {
    if (typeof node !== "string") return { host: node.host, port: node.port };
    const at = node.lastIndexOf(":");
    const port = Number(node.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TypeError(`invalid Redis node address ${JSON.stringify(node)}: expected host:port`);
    }
    return { host: node.slice(0, at), port };
  });
}

function tlsOptions(tls: RedisTlsOptions | undefined, url: URL): ConnectionOptions | undefined {
  if (!tls?.enabled) return url.protocol === "rediss:" ? {} : undefined;
  const read = (
    contents: string | Buffer | undefined,
    path: string | undefined,
  ): string | Buffer | undefined => contents ?? (path ? readFileSync(path) : undefined);
  const ca = read(tls.ca, tls.caPath);
  const cert = read(tls.cert, tls.certPath);
  const key = read(tls.key, tls.keyPath);
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}
