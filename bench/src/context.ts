/**
 * Everything a run shares: the servers (started on first use, stopped at
 * the end) and the seeded data (seeded on first use), so that `--only`
 * starts and seeds just what the chosen benchmarks need.
 */
import { startRedisCluster, startRedisServer, type RedisCluster, type RedisServer } from "@kuma-ts/redis-harness";
import { closeIdleSockets, getText } from "./http-client.js";
import { runLoad } from "./load.js";
import { baselineScript, freePort, packageBin, startServer, type ServerProcess } from "./processes.js";
import { seedInsightsViaApi, seedInspectionViaApi, seedViaApi, seedViaStore, type Seeding } from "./seed.js";
import type { Settings } from "./settings.js";

/**
 * Our servers: memory store with the small meshes, memory store with the
 * big mesh, Redis store with all of them (and two more replicas on the same
 * keys), Redis Cluster store, and an unseeded one for kumactl.
 */
export type OursName = "memory" | "memory-big" | "redis" | "redis-2" | "redis-3" | "redis-cluster" | "cli";

/** Three replicas on the run's Redis, sharing its keys. */
const REDIS_REPLICAS = ["redis", "redis-2", "redis-3"] as const satisfies readonly OursName[];

/** Mesh names (their sizes come from the settings). */
export const MESH = {
  /** GET and PUT targets. */
  bench: "bench",
  /** The paging comparison's small collection. */
  small: "small",
  /** The paging comparison's big collection (a name as long as the small one's). */
  big: "large",
  /** The whole-collection list. */
  whole: "whole",
  /** The keys many writers PUT at once. */
  contested: "contested",
  /** Inspection: dataplanes and policies of every type. */
  inspect: "inspect",
} as const;

/** The key prefix of our Redis store, and the hash of B-redis, in the same redis-server. */
export const OURS_REDIS_PREFIX = "bench-ours";
export const BASELINE_REDIS_HASH = "bench-baseline:answers";

/** The hash in which our Redis store keeps a mesh's resources of one type (the layout of store/src/redis/keys.ts). */
export const oursItemsKey = (mesh: string, type: string): string => `{${OURS_REDIS_PREFIX}:${mesh}}:${type}`;

export class BenchContext {
  readonly seedings: Seeding[] = [];
  private readonly memo = new Map<string, Promise<unknown>>();
  /** Every server started, with the memo key it was started under. */
  private readonly servers: { key: string; server: ServerProcess }[] = [];
  private redisServer: RedisServer | undefined;
  private redisClusterServers: RedisCluster | undefined;

  constructor(
    readonly settings: Settings,
    /** Node flags for our servers (`--cpu-prof ...` when profiling). */
    readonly oursNodeFlags: readonly string[],
  ) {}

  /** Runs `make` once per key; later calls get the same promise. */
  once<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      this.memo.set(key, value);
    }
    return value;
  }

  /** The redis-server of this run (from the harness: a free port, never 6379). */
  redis(): Promise<RedisServer> {
    return this.once("redis", async () => (this.redisServer = await startRedisServer()));
  }

  /** A 3-master Redis Cluster of this run (from the harness). */
  redisCluster(): Promise<RedisCluster> {
    return this.once("redis-cluster", async () => (this.redisClusterServers = await startRedisCluster({ masters: 3 })));
  }

  /** B-mem. */
  memBaseline(): Promise<ServerProcess> {
    return this.once("b-mem", async () => {
      const port = await freePort();
      return this.track("b-mem", await startServer({ name: "B-mem", script: baselineScript("mem-server"), args: [String(port)], port }));
    });
  }

  /** B-koa: a bare Koa app (the ceiling of the mandated stack). */
  koaBaseline(): Promise<ServerProcess> {
    return this.once("b-koa", async () => {
      const port = await freePort();
      return this.track("b-koa", await startServer({ name: "B-koa", script: baselineScript("koa-server"), args: [String(port)], port }));
    });
  }

  /** B-koa-router: the same app reached through @koa/router with the API's route table. */
  koaRouterBaseline(): Promise<ServerProcess> {
    return this.once("b-koa-router", async () => {
      const port = await freePort();
      const args = [String(port), "router"];
      return this.track("b-koa-router", await startServer({ name: "B-koa-router", script: baselineScript("koa-server"), args, port }));
    });
  }

  /** B-redis, on the run's redis-server. */
  redisBaseline(): Promise<ServerProcess> {
    return this.once("b-redis", async () => {
      const redis = await this.redis();
      const port = await freePort();
      return this.track(
        "b-redis",
        await startServer({
          name: "B-redis",
          script: baselineScript("redis-server"),
          args: [String(port), redis.url, BASELINE_REDIS_HASH],
          port,
        }),
      );
    });
  }

  /** One of our servers: the built `kuma-cp run`, configured through the environment. */
  ours(name: OursName): Promise<ServerProcess> {
    return this.once(`ours-${name}`, async () =>
      this.track(`ours-${name}`, await startOurs(`ours (${name})`, await this.storeEnv(name), this.oursNodeFlags)),
    );
  }

  /** Another of our servers on the store of `name` (the same data), with extra settings. */
  oursWith(name: OursName, label: string, env: Record<string, string>): Promise<ServerProcess> {
    return this.once(`ours-${name}-${label}`, async () =>
      this.track(
        `ours-${name}-${label}`,
        await startOurs(`ours (${name}, ${label})`, { ...(await this.storeEnv(name)), ...env }, this.oursNodeFlags),
      ),
    );
  }

  /** Three of our servers on the run's Redis, as replicas of one control plane (the first is `ours("redis")`). */
  redisReplicas(): Promise<ServerProcess[]> {
    return Promise.all(REDIS_REPLICAS.map((name) => this.ours(name)));
  }

  /** The GET and PUT targets: `settings.sizes.writes` dataplanes in mesh `bench`. */
  benchMesh(name: OursName): Promise<ServerProcess> {
    return this.once(`seed-bench-${name}`, async () => {
      const server = await this.ours(name);
      this.record(name, await seedViaApi(server.url, MESH.bench, this.settings.sizes.writes, { insights: false }));
      return server;
    });
  }

  /** The small mesh of the paging comparison, with insights. */
  smallMesh(name: "memory" | "redis"): Promise<ServerProcess> {
    return this.once(`seed-small-${name}`, async () => {
      const server = await this.ours(name);
      this.record(name, await seedViaApi(server.url, MESH.small, this.settings.sizes.small));
      return server;
    });
  }

  /** The whole-collection list's mesh (no insights: the list is of dataplanes). */
  wholeMesh(name: "memory" | "redis"): Promise<ServerProcess> {
    return this.once(`seed-whole-${name}`, async () => {
      const server = await this.ours(name);
      this.record(name, await seedViaApi(server.url, MESH.whole, this.settings.sizes.whole, { insights: false }));
      return server;
    });
  }

  /** The inspection mesh: dataplanes and policies of every type. */
  inspectionMesh(name: "memory" | "redis"): Promise<ServerProcess> {
    return this.once(`seed-inspect-${name}`, async () => {
      const server = await this.ours(name);
      this.record(name, await seedInspectionViaApi(server.url, MESH.inspect, this.settings.sizes.inspection));
      return server;
    });
  }

  /**
   * The big mesh with insights: in its own memory server (whose RSS is
   * measured around the seeding of the dataplanes), or in the Redis store
   * straight through the store package.
   */
  bigMesh(name: "memory-big" | "redis"): Promise<{
    server: ServerProcess;
    rssBefore?: number;
    rssAfter?: number;
    /** The dataplanes' JSON as sent in the PUT bodies. */
    jsonBytes: number;
    /** The dataplanes' JSON as the API serves it (with the store's timestamps), measured after rssAfter. */
    servedJsonBytes?: number;
  }> {
    return this.once(`seed-big-${name}`, async () => {
      const server = await this.ours(name);
      if (name === "redis") {
        const redis = await this.redis();
        const seeding = await seedViaStore(server.url, { url: redis.url, keyPrefix: OURS_REDIS_PREFIX }, MESH.big, this.settings.sizes.big);
        this.record(name, seeding);
        return { server, jsonBytes: seeding.dataplaneJsonBytes };
      }
      // Traffic first, so that the heap's young generation has grown to its working size:
      // the RSS it takes under load is the server's, not the dataplanes'. The same traffic
      // again after the seeding, so that both samples are taken in the same state.
      const traffic = () => runLoad(server.url, [{ method: "GET", path: "/meshes/default" }], this.settings.throughput);
      await traffic();
      const rssBefore = await settledRss(server, this.settings.settleSeconds);
      const seeding = await seedViaApi(server.url, MESH.big, this.settings.sizes.big, { insights: false });
      closeIdleSockets();
      await traffic();
      const rssAfter = await settledRss(server, this.settings.settleSeconds);
      const servedJsonBytes = await servedJsonSize(server.url, MESH.big);
      const insights = await seedInsightsViaApi(server.url, MESH.big, 0, this.settings.sizes.big);
      this.record(name, { ...seeding, insights });
      return { server, rssBefore, rssAfter, jsonBytes: seeding.dataplaneJsonBytes, servedJsonBytes };
    });
  }

  /**
   * Forgets the servers that died under the run (and the data seeded into
   * them), so that the next use starts and seeds them again; their names.
   */
  forgetDeadServers(): string[] {
    const dead = this.servers.filter(({ server }) => server.exitedUnexpectedly());
    for (const { key } of dead) {
      // `ours-memory` also took the seedings `seed-<mesh>-memory` (but not `seed-big-memory-big`).
      const suffix = key.startsWith("ours-") ? `-${key.slice("ours-".length)}` : undefined;
      for (const memoKey of [...this.memo.keys()]) {
        if (memoKey === key || (suffix && memoKey.startsWith("seed-") && memoKey.endsWith(suffix))) this.memo.delete(memoKey);
      }
    }
    const names = dead.map(({ server }) => server.name);
    this.servers.splice(0, this.servers.length, ...this.servers.filter((entry) => !dead.includes(entry)));
    return names;
  }

  /** Stops every process this run started. */
  async close(): Promise<void> {
    closeIdleSockets();
    await Promise.allSettled(this.servers.map(({ server }) => server.stop()));
    await this.redisServer?.stop();
    await this.redisClusterServers?.stop();
  }

  /** The store settings of one of our servers. */
  private async storeEnv(name: OursName): Promise<Record<string, string>> {
    if (name === "redis-cluster") {
      const nodes = (await this.redisCluster()).nodes.map((node) => `${node.host}:${node.port}`).join(",");
      return { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_MODE: "cluster", KUMA_STORE_REDIS_NODES: nodes, KUMA_STORE_REDIS_KEY_PREFIX: OURS_REDIS_PREFIX };
    }
    if ((REDIS_REPLICAS as readonly OursName[]).includes(name)) {
      return { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_URL: (await this.redis()).url, KUMA_STORE_REDIS_KEY_PREFIX: OURS_REDIS_PREFIX };
    }
    return { KUMA_STORE_TYPE: "memory" };
  }

  private record(server: OursName, seeding: Seeding): void {
    this.seedings.push({ ...seeding, server });
  }

  private track(key: string, server: ServerProcess): ServerProcess {
    this.servers.push({ key, server });
    return server;
  }
}

/** The built `kuma-cp` bin (BENCH_KUMA_CP_BIN overrides it, e.g. to compare two builds). */
export const kumaCpBin = (): string => process.env.BENCH_KUMA_CP_BIN || packageBin("@kuma-ts/server", "kuma-cp");

/** Starts `kuma-cp run` on free loopback ports with the given store settings, logging warnings only. */
export async function startOurs(name: string, env: Record<string, string>, nodeFlags: readonly string[] = []): Promise<ServerProcess> {
  const [port, diagnosticsPort] = [await freePort(), await freePort()];
  return startServer({
    name,
    script: kumaCpBin(),
    args: ["run", "--log-level", "warn"],
    port,
    nodeFlags,
    env: {
      KUMA_API_SERVER_PORT: String(port),
      KUMA_API_SERVER_INTERFACE: "127.0.0.1",
      KUMA_DIAGNOSTICS_PORT: String(diagnosticsPort),
      KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
      KUMA_GUI_SERVER_PORT: "0",
      ...env,
    },
  });
}

/** The bytes of the JSON of every dataplane of a mesh, as the API serves them (pages of 1,000). */
async function servedJsonSize(apiUrl: string, mesh: string): Promise<number> {
  let bytes = 0;
  let next: string | null = `${apiUrl}/meshes/${mesh}/dataplanes?size=1000`;
  while (next) {
    const page = JSON.parse(await getText(next)) as { items: unknown[]; next: string | null };
    // The API writes compact JSON: re-serialising an item gives its bytes.
    for (const item of page.items) bytes += Buffer.byteLength(JSON.stringify(item));
    next = page.next;
  }
  return bytes;
}

/** The smallest of a few RSS samples over `seconds` (garbage not yet collected inflates single samples). */
export async function settledRss(server: ServerProcess, seconds: number): Promise<number> {
  const samples = Math.max(3, Math.round(seconds * 2));
  let least = Infinity;
  for (let i = 0; i < samples; i++) {
    await new Promise((resolve) => setTimeout(resolve, (seconds * 1000) / samples));
    least = Math.min(least, await server.rss());
  }
  return least;
}
