/**
 * Watches (watch.md): how long a write takes to reach a watcher, on one
 * replica and across replicas; what 100 open watchers cost PUT throughput;
 * how much server memory an open stream takes.
 *
 * - Latency: sequential PUTs of dataplanes, each timed from its 2xx (as
 *   its writer saw it) to the arrival of its event at a watcher, matched by
 *   version; the baseline is the PUT itself (request to 2xx).
 * - Throughput: PUT updates with 100 watchers of the written collection
 *   open (each receiving every event) against the same load with none.
 * - Memory: the server's settled RSS growth per stream with 1,000 streams
 *   open, against the growth per idle keep-alive connection (1,000 of them).
 */
import http from "node:http";
import type { Request } from "autocannon";
import type { Benchmark } from "../benchmark.js";
import { alternate, rowOf, type Row } from "../compare.js";
import { MESH, settledRss } from "../context.js";
import { dataplane, dataplanePath } from "../data.js";
import { median, runLoad } from "../load.js";
import type { ServerProcess } from "../processes.js";
import { createMesh } from "../seed.js";

/** The mesh the latency rows write. */
const WATCH_MESH = "watched";
const WATCHERS = 100;
const STREAMS = 1000;

/** One open watch: calls `onEvent` with each event's name and data text. */
interface OpenWatch {
  readonly ready: Promise<number>;
  close(): void;
}

/** Opens `url` as a watch on a connection of its own; `ready` resolves with the status once the headers arrive. */
function openWatch(
  url: string,
  onEvent?: (event: string, data: string) => void,
  onBytes?: (bytes: number) => void,
): OpenWatch {
  let request: http.ClientRequest | undefined;
  const ready = new Promise<number>((resolve, reject) => {
    request = http.get(url, { agent: false, headers: { Accept: "text/event-stream" } }, (response) => {
      resolve(response.statusCode ?? 0);
      if (!onEvent) {
        // Read, not parsed: the client's share of the machine stays small.
        if (onBytes) response.on("data", (chunk: Buffer) => onBytes(chunk.length));
        else response.resume();
        return;
      }
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event !== undefined && data !== undefined) onEvent(event, data);
        }
      });
      response.on("error", () => {});
    });
    request.on("error", reject);
  });
  return { ready, close: () => request?.destroy() };
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
};

/** The resume token of now for a list path (so that watchers start without a snapshot). */
async function tokenOf(url: string): Promise<string> {
  const response = await fetch(`${url}?size=1`);
  await response.arrayBuffer();
  const token = response.headers.get("kuma-resume-token");
  if (!token) throw new Error(`${url}: no Kuma-Resume-Token`);
  return token;
}

/** Write → event latencies: writes go to `writer`, the watcher is on `watcher`. */
async function measureLatency(writer: ServerProcess, watcher: ServerProcess, writes: number) {
  await createMesh(writer.url, WATCH_MESH);
  const arrivals = new Map<string, number>();
  let waiting: { version: string; wake: () => void } | undefined;
  const watch = openWatch(`${watcher.url}/meshes/${WATCH_MESH}/dataplanes?watch=true`, (event, data) => {
    if (event === "synced" || event === "snapshot") return;
    const version = (JSON.parse(data) as { version: string }).version;
    arrivals.set(version, performance.now());
    if (waiting?.version === version) waiting.wake();
  });
  if ((await watch.ready) !== 200) throw new Error("the watch was refused");
  const eventLatencies: number[] = [];
  const putLatencies: number[] = [];
  try {
    for (let i = 0; i < writes; i++) {
      const body = JSON.stringify(dataplane(WATCH_MESH, i % 50));
      const started = performance.now();
      const response = await fetch(`${writer.url}${dataplanePath(WATCH_MESH, i % 50)}`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body,
      });
      await response.arrayBuffer();
      const acknowledged = performance.now();
      if (response.status >= 300) throw new Error(`PUT answered ${response.status}`);
      const version = (response.headers.get("etag") ?? "").replaceAll('"', "");
      if (!arrivals.has(version)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no event for version ${version} within 5 s`)), 5000);
          waiting = {
            version,
            wake: () => {
              clearTimeout(timer);
              resolve();
            },
          };
        });
      }
      eventLatencies.push(Math.max(0, (arrivals.get(version) as number) - acknowledged));
      putLatencies.push(acknowledged - started);
      // Writes a few milliseconds apart, as an operator's or a controller's are.
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  } finally {
    watch.close();
  }
  return { eventLatencies, putLatencies };
}

function latency(where: "memory" | "redis" | "replicas"): Benchmark {
  const across = where === "replicas";
  const label = across ? "across replicas (write on one, watch on another; Redis)" : `on one replica, ${where} store`;
  return {
    id: `watch-latency/${where}`,
    async run(ctx): Promise<Row[]> {
      const [writer, watcher] = across
        ? ((await ctx.redisReplicas()).slice(0, 2) as [ServerProcess, ServerProcess])
        : [await ctx.ours(where), await ctx.ours(where)];
      const writes = ctx.settings.mode === "smoke" ? 20 : 300;
      const { eventLatencies, putLatencies } = await measureLatency(writer, watcher, writes);
      const limit = across ? 1000 : 50;
      const row = (q: number, name: string, target: boolean): Row =>
        rowOf({
          id: `${this.id}/${name}`,
          operation: `write → event latency ${name} ${label}`,
          unit: "ms",
          baselineName: `the PUT itself, ${name}`,
          ...(target ? { target: { op: "<=" as const, value: limit, absolute: true } } : {}),
          samples: { ours: [quantile(eventLatencies, q)], baseline: [quantile(putLatencies, q)] },
          thresholds: ctx.settings.thresholds,
          details: { writes },
        });
      return [row(0.5, "p50", false), row(0.99, "p99", true)];
    },
  };
}

/** PUT throughput with 100 open watchers of the written collection, against none. */
function putWithWatchers(store: "memory" | "redis"): Benchmark {
  return {
    id: `watch-put/${store}`,
    async run(ctx): Promise<Row> {
      const server = await ctx.benchMesh(store);
      const requests: Request[] = Array.from({ length: ctx.settings.sizes.writes }, (_, i) => ({
        method: "PUT",
        path: dataplanePath(MESH.bench, i),
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(dataplane(MESH.bench, i)),
      }));
      const collection = `${server.url}/meshes/${MESH.bench}/dataplanes`;
      let received = 0;
      /** The server's CPU time per PUT, by number of watchers: tells its share of the drop from the client's. */
      const cpu: Record<number, number[]> = { 0: [], [WATCHERS]: [] };
      const load = async (watchers: number): Promise<number> => {
        const token = await tokenOf(collection);
        const open = Array.from({ length: watchers }, () =>
          openWatch(`${collection}?watch=true&since=${encodeURIComponent(token)}`, undefined, (bytes) => {
            received += bytes;
          }),
        );
        try {
          const statuses = await Promise.all(open.map((watch) => watch.ready));
          if (statuses.some((status) => status !== 200)) throw new Error(`watches answered ${statuses.join(",")}`);
          const run = await runLoad(server.url, requests, ctx.settings.throughput, { serverPid: server.pid });
          if (run.serverCpuMicrosPerAnswer !== undefined) cpu[watchers]?.push(run.serverCpuMicrosPerAnswer);
          return run.requestsPerSecond;
        } finally {
          for (const watch of open) watch.close();
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      };
      const samples = await alternate(ctx.settings.rounds, () => load(0), () => load(WATCHERS));
      return rowOf({
        id: this.id,
        operation: `PUT update of a dataplane with ${WATCHERS} watchers of its collection open, ${store} store`,
        unit: "req/s",
        baselineName: "the same with no watcher",
        target: { op: ">=", value: 0.8 },
        samples,
        thresholds: ctx.settings.thresholds,
        details: {
          watchers: WATCHERS,
          bytesReceived: received,
          serverCpuMicrosPerPut: { none: median(cpu[0] ?? []), watched: median(cpu[WATCHERS] ?? []) },
          load: ctx.settings.throughput,
        },
      });
    },
  };
}

/** Server memory per open stream, against per idle keep-alive connection. */
const streamMemory: Benchmark = {
  id: "watch-rss/memory",
  async run(ctx): Promise<Row> {
    const server = await ctx.benchMesh("memory");
    const count = ctx.settings.mode === "smoke" ? 50 : STREAMS;
    const seconds = ctx.settings.settleSeconds;
    const collection = `${server.url}/meshes/${MESH.bench}/dataplanes`;
    const growth = async (open: () => Promise<() => void>): Promise<number> => {
      const before = await settledRss(server, seconds);
      const close = await open();
      const after = await settledRss(server, seconds);
      close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      return (after - before) / 1024 / count;
    };
    const streams = async () => {
      const token = await tokenOf(collection);
      const open: OpenWatch[] = [];
      // In batches, so that the accept queue never overflows.
      for (let i = 0; i < count; i += 100) {
        const batch = Array.from({ length: Math.min(100, count - i) }, () =>
          openWatch(`${collection}?watch=true&since=${encodeURIComponent(token)}`),
        );
        open.push(...batch);
        const statuses = await Promise.all(batch.map((watch) => watch.ready));
        if (statuses.some((status) => status !== 200)) throw new Error(`watches answered ${statuses.join(",")}`);
      }
      return () => open.forEach((watch) => watch.close());
    };
    const idleConnections = async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: count });
      await Promise.all(
        Array.from(
          { length: count },
          () =>
            new Promise<void>((resolve, reject) => {
              http.get(`${server.url}/`, { agent }, (response) => response.resume().on("end", resolve)).on("error", reject);
            }),
        ),
      );
      return () => agent.destroy();
    };
    // A warm-up round first: what earlier rows left to collect would otherwise shrink the first figure.
    const samples = await alternate({ rounds: 1, warmup: true }, () => growth(idleConnections), () => growth(streams));
    return rowOf({
      id: this.id,
      operation: `server memory per open watch with ${count.toLocaleString("en")} open, memory store`,
      unit: "KB",
      baselineName: "per idle keep-alive connection",
      target: { op: "<=", value: 64, absolute: true },
      samples,
      thresholds: ctx.settings.thresholds,
      details: { streams: count },
    });
  },
};

export const watchBenchmarks: Benchmark[] = [
  latency("memory"),
  latency("redis"),
  latency("replicas"),
  putWithWatchers("memory"),
  putWithWatchers("redis"),
  streamMemory,
];
