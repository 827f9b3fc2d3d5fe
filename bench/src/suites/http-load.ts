/**
 * The HTTP benchmarks: GET and PUT throughput against B-mem and B-redis
 * (and, for information, B-koa — a bare Koa app — and B-koa behind
 * @koa/router with the API's route table), paged lists at the big
 * size against the same page at the small size, and the whole-collection
 * list against `JSON.stringify` on a bare server (and, for the Redis
 * store, against one HVALS, for information).
 */
import type { Request } from "autocannon";
import type { Benchmark } from "../benchmark.js";
import { alternate, alternateAll, rowOf, type Row } from "../compare.js";
import { MESH, oursItemsKey, type BenchContext } from "../context.js";
import { dataplane, dataplanePath } from "../data.js";
import { expectStatus, getText } from "../http-client.js";
import { median, runLoad, type LoadSettings } from "../load.js";
import type { ServerProcess } from "../processes.js";

type Store = "memory" | "redis";

const baselineOf = (ctx: BenchContext, store: Store): Promise<ServerProcess> =>
  store === "memory" ? ctx.memBaseline() : ctx.redisBaseline();
const baselineName = (store: Store): string => (store === "memory" ? "B-mem" : "B-redis");

/** What a throughput comparison measured of one contender: req/s per round, and median server CPU µs per answer. */
interface Throughput {
  readonly samples: { ours: number[]; baseline: number[] };
  readonly cpu: { ours: number; baseline: number };
  /** The contender's server CPU µs per answer, one per kept round. */
  readonly cpuSamples: number[];
}

/**
 * Alternating throughput runs of the same requests against the baseline
 * and each contender (ours, and B-koa with the memory store); req/s. Also
 * the servers' CPU time per answer: unlike throughput, it hardly depends
 * on what else the machine runs, so it tells what the ratio would be with
 * a core to spare.
 */
async function compareThroughput(
  ctx: BenchContext,
  baseline: ServerProcess,
  contenders: readonly ServerProcess[],
  requests: Request[],
): Promise<Throughput[]> {
  const load = ctx.settings.throughput;
  const servers = [baseline, ...contenders];
  const cpu = servers.map(() => [] as number[]);
  const side = (server: ServerProcess, into: number[]) => async () => {
    const run = await runLoad(server.url, requests, load, { serverPid: server.pid });
    into.push(run.serverCpuMicrosPerAnswer as number);
    return run.requestsPerSecond;
  };
  const samples = await alternateAll(
    ctx.settings.rounds,
    servers.map((server, i) => side(server, cpu[i] as number[])),
  );
  const kept = (i: number) => (cpu[i] as number[]).slice(-ctx.settings.rounds.rounds);
  return contenders.map((_, k) => ({
    samples: { baseline: samples[0] as number[], ours: samples[k + 1] as number[] },
    cpu: { baseline: median(kept(0)), ours: median(kept(k + 1)) },
    cpuSamples: kept(k + 1),
  }));
}

/** The informational row of B-koa against B-mem, from the same alternation as ours. */
function koaRow(ctx: BenchContext, id: string, operation: string, baseline: string, measured: Throughput): Row {
  return rowOf({
    id,
    operation,
    unit: "req/s",
    baselineName: baseline,
    samples: measured.samples,
    thresholds: ctx.settings.thresholds,
    details: { load: ctx.settings.throughput, serverCpuMicrosPerRequest: measured.cpu },
  });
}

/**
 * Our server CPU per request against B-koa + @koa/router's, from the rounds
 * of the same alternation: what our own code costs over the floor of the
 * mandated stack, a figure that hardly moves with the machine's load.
 */
function cpuRow(ctx: BenchContext, id: string, method: "GET" | "PUT", ours: Throughput, router: Throughput, limit: number): Row {
  return rowOf({
    id,
    operation: `server CPU per ${method}, memory store`,
    unit: "µs",
    baselineName: "B-koa + @koa/router",
    target: { op: "<=", value: limit },
    samples: { ours: ours.cpuSamples, baseline: router.cpuSamples },
    thresholds: ctx.settings.thresholds,
    details: { load: ctx.settings.throughput },
  });
}

/** The targets of the throughput rows (issue 12): ours / baseline in req/s, and CPU per request / B-koa + @koa/router's. */
const TARGETS = {
  get: { memory: 0.45, redis: 0.6, cpu: 1.3 },
  put: { memory: 0.35, redis: 0.5, cpu: 1.5 },
} as const;

/** One latency run (one connection) of a GET; its median ms. */
const medianLatency = (url: string, path: string, load: LoadSettings) => async (): Promise<number> =>
  (await runLoad(url, [{ method: "GET", path }], load)).medianMs;

/** Alternating latency runs; median ms. */
function compareLatency(
  ctx: BenchContext,
  load: LoadSettings,
  baseline: { url: string; path: string },
  ours: { url: string; path: string },
) {
  return alternate(ctx.settings.rounds, medianLatency(baseline.url, baseline.path, load), medianLatency(ours.url, ours.path, load));
}

/** GET of one dataplane; the baseline answers the very bytes ours answers. With the memory store, B-koa too. */
function getOne(store: Store): Benchmark {
  return {
    id: `get/${store}`,
    async run(ctx): Promise<Row[]> {
      const ours = await ctx.benchMesh(store);
      const baseline = await baselineOf(ctx, store);
      const koa = store === "memory" ? [await ctx.koaBaseline(), await ctx.koaRouterBaseline()] : [];
      const path = dataplanePath(MESH.bench, 0);
      const bytes = await getText(ours.url + path);
      for (const other of [baseline, ...koa]) {
        await expectStatus("PUT", other.url + path, bytes, [200]);
        if ((await getText(other.url + path)) !== bytes) throw new Error(`${other.name} does not answer the same bytes`);
      }
      const [measured, koaMeasured, routerMeasured] = await compareThroughput(ctx, baseline, [ours, ...koa], [{ method: "GET", path }]);
      const rows = [
        rowOf({
          id: this.id,
          operation: `GET one dataplane, ${store} store`,
          unit: "req/s",
          baselineName: baselineName(store),
          target: { op: ">=", value: TARGETS.get[store] },
          samples: measured!.samples,
          thresholds: ctx.settings.thresholds,
          details: { answerBytes: Buffer.byteLength(bytes), load: ctx.settings.throughput, serverCpuMicrosPerRequest: measured!.cpu },
        }),
      ];
      if (koaMeasured) rows.push(koaRow(ctx, "koa/get", "GET, B-koa (bare Koa, Map lookup)", "B-mem", koaMeasured));
      if (routerMeasured) {
        rows.push(koaRow(ctx, "koa-router/get", "GET, B-koa + @koa/router (the API's routes)", "B-mem", routerMeasured));
        rows.push(cpuRow(ctx, "cpu/get", "GET", measured!, routerMeasured, TARGETS.get.cpu));
      }
      return rows;
    },
  };
}

/** PUT updates of existing dataplanes, each connection walking its own part of the set. With the memory store, B-koa too. */
function putUpdate(store: Store): Benchmark {
  return {
    id: `put/${store}`,
    async run(ctx): Promise<Row[]> {
      const ours = await ctx.benchMesh(store);
      const baseline = await baselineOf(ctx, store);
      const koa = store === "memory" ? [await ctx.koaBaseline(), await ctx.koaRouterBaseline()] : [];
      const requests: Request[] = Array.from({ length: ctx.settings.sizes.writes }, (_, i) => ({
        method: "PUT",
        path: dataplanePath(MESH.bench, i),
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(dataplane(MESH.bench, i)),
      }));
      const [measured, koaMeasured, routerMeasured] = await compareThroughput(ctx, baseline, [ours, ...koa], requests);
      const rows = [
        rowOf({
          id: this.id,
          operation: `PUT update of a dataplane, ${store} store`,
          unit: "req/s",
          baselineName: `${baselineName(store)} (${store === "memory" ? "Map set" : "HSET"})`,
          target: { op: ">=", value: TARGETS.put[store] },
          samples: measured!.samples,
          thresholds: ctx.settings.thresholds,
          details: { dataplanes: requests.length, load: ctx.settings.throughput, serverCpuMicrosPerRequest: measured!.cpu },
        }),
      ];
      if (koaMeasured) rows.push(koaRow(ctx, "koa/put", "PUT, B-koa (bare Koa, Map set)", "B-mem (Map set)", koaMeasured));
      if (routerMeasured) {
        rows.push(koaRow(ctx, "koa-router/put", "PUT, B-koa + @koa/router (the API's routes)", "B-mem (Map set)", routerMeasured));
        rows.push(cpuRow(ctx, "cpu/put", "PUT", measured!, routerMeasured, TARGETS.put.cpu));
      }
      return rows;
    },
  };
}

/** The `offset` of the page that starts after the first `count` items of a collection. */
async function cursorAfter(url: string, collection: string, count: number): Promise<string> {
  let offset: string | undefined;
  let seen = 0;
  while (seen < count) {
    const size = Math.min(1000, count - seen);
    const query = new URLSearchParams({ size: String(size), ...(offset ? { offset } : {}) });
    const page = JSON.parse(await getText(`${url}${collection}?${query}`)) as { items: unknown[]; next: string | null };
    seen += page.items.length;
    if (!page.next) throw new Error(`${collection} has fewer than ${count} items`);
    offset = new URL(page.next).searchParams.get("offset") ?? undefined;
  }
  if (!offset) throw new Error("no cursor");
  return offset;
}

/** A page of 100 at the big size against the same page at the small size. */
function page(store: Store, what: "dataplanes" | "dataplanes+insights", where: "first" | "middle"): Benchmark {
  return {
    id: `page/${store}/${what === "dataplanes" ? "dataplanes" : "overview"}/${where}`,
    async run(ctx): Promise<Row> {
      const { small, big, page: size } = ctx.settings.sizes;
      const smallServer = await ctx.smallMesh(store);
      const bigServer = (await ctx.bigMesh(store === "memory" ? "memory-big" : "redis")).server;
      const pathOf = async (server: ServerProcess, mesh: string, count: number): Promise<string> => {
        const collection = `/meshes/${mesh}/${what}`;
        if (where === "first") return `${collection}?size=${size}`;
        return `${collection}?size=${size}&offset=${await cursorAfter(server.url, collection, count / 2)}`;
      };
      const smallPath = await pathOf(smallServer, MESH.small, small);
      const bigPath = await pathOf(bigServer, MESH.big, big);
      const smallPage = JSON.parse(await getText(smallServer.url + smallPath)) as { total: number; items: { name: string }[] };
      const bigPage = JSON.parse(await getText(bigServer.url + bigPath)) as { total: number; items: { name: string }[] };
      if (smallPage.total !== small || bigPage.total !== big || smallPage.items.length !== size || bigPage.items.length !== size) {
        throw new Error(`unexpected pages: ${smallPage.total}/${smallPage.items.length} and ${bigPage.total}/${bigPage.items.length}`);
      }
      const samples = await compareLatency(
        ctx,
        ctx.settings.latency,
        { url: smallServer.url, path: smallPath },
        { url: bigServer.url, path: bigPath },
      );
      const label = what === "dataplanes" ? "dataplanes" : "dataplanes+insights";
      return rowOf({
        id: this.id,
        operation: `${where} page of ${label} (size=${size}) at ${big.toLocaleString("en")}, ${store} store`,
        unit: "ms",
        baselineName: `the same page at ${small.toLocaleString("en")}`,
        target: { op: "<=", value: 1.5 },
        samples,
        thresholds: ctx.settings.thresholds,
        details: {
          smallPath,
          bigPath,
          firstItem: { small: smallPage.items[0]?.name, big: bigPage.items[0]?.name },
          load: ctx.settings.latency,
        },
      });
    },
  };
}

/**
 * The whole collection against `JSON.stringify` of the same items on B-mem;
 * with the Redis store also against one HVALS of our store's own hash on
 * B-redis (informational: what fetching the collection from Redis costs).
 */
function wholeList(store: Store): Benchmark {
  return {
    id: `list-all/${store}`,
    async run(ctx): Promise<Row[]> {
      const ours = await ctx.wholeMesh(store);
      const baseline = await ctx.memBaseline();
      const path = `/meshes/${MESH.whole}/dataplanes`;
      const text = await getText(ours.url + path);
      const answer = JSON.parse(text) as { total: number; items: unknown[] };
      if (answer.total !== ctx.settings.sizes.whole) throw new Error(`the list has ${answer.total} items`);
      await expectStatus("POST", baseline.url + path, JSON.stringify(answer.items), [204]);
      if ((await getText(baseline.url + path)) !== text) throw new Error("the baseline does not answer the same bytes");
      const fetching = store === "redis" ? [await ctx.redisBaseline()] : [];
      for (const other of fetching) {
        await expectStatus("POST", other.url + path, oursItemsKey(MESH.whole, "Dataplane"), [204]);
        // The same items in the hash's order rather than by name: the same length.
        if ((await getText(other.url + path)).length !== text.length) throw new Error(`${other.name} does not answer the same items`);
      }
      const [baselineSamples, oursSamples, fetchingSamples] = await alternateAll(
        ctx.settings.rounds,
        [baseline, ours, ...fetching].map((server) => medianLatency(server.url, path, ctx.settings.wholeList)),
      );
      const operation = `whole list of ${ctx.settings.sizes.whole.toLocaleString("en")} dataplanes, ${store} store`;
      const details = { answerBytes: Buffer.byteLength(text), load: ctx.settings.wholeList };
      const rows = [
        rowOf({
          id: this.id,
          operation,
          unit: "ms",
          baselineName: "B-mem (JSON.stringify + send)",
          target: { op: "<=", value: 2 },
          samples: { baseline: baselineSamples as number[], ours: oursSamples as number[] },
          thresholds: ctx.settings.thresholds,
          details,
        }),
      ];
      if (fetchingSamples) {
        rows.push(
          rowOf({
            id: `${this.id}/hvals`,
            operation: `${operation}, against one HVALS`,
            unit: "ms",
            baselineName: "B-redis (HVALS + join + send)",
            samples: { baseline: fetchingSamples, ours: oursSamples as number[] },
            thresholds: ctx.settings.thresholds,
            details,
          }),
        );
      }
      return rows;
    },
  };
}

export const httpBenchmarks: Benchmark[] = [
  getOne("memory"),
  getOne("redis"),
  putUpdate("memory"),
  putUpdate("redis"),
  ...(["memory", "redis"] as const).flatMap((store) => [
    page(store, "dataplanes", "first"),
    page(store, "dataplanes", "middle"),
    page(store, "dataplanes+insights", "first"),
    page(store, "dataplanes+insights", "middle"),
  ]),
  wholeList("memory"),
  wholeList("redis"),
];
