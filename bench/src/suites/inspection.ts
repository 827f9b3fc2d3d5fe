/**
 * Inspection on a mesh of 10,000 dataplanes and 1,000 policies of each
 * type: one dataplane's policies, and the dataplanes of a policy, against
 * reading the same data with the plain API (the GETs and lists a client
 * would need to decide it by itself), in the same run, alternating. The
 * targets are absolute: a p50 under 50 ms for a dataplane, under 1 s for a
 * policy.
 */
import { policyTypes } from "@kuma-ts/model";
import type { Benchmark } from "../benchmark.js";
import { alternate, rowOf, type Row } from "../compare.js";
import { MESH, type BenchContext } from "../context.js";
import { dataplaneName } from "../data.js";
import { getText } from "../http-client.js";
import { policyName, prefixOf } from "../inspection-data.js";
import { median } from "../load.js";

type Store = "memory" | "redis";

/** Runs `work` over and over, one at a time, for `seconds` (at least 3 times); the median of its wall times in ms. */
async function medianWallTime(seconds: number, work: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  const until = performance.now() + seconds * 1000;
  while (times.length < 3 || performance.now() < until) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return median(times);
}

/** GETs of several paths at once, as a client would send them. */
const getAll = (url: string, paths: readonly string[]) => Promise.all(paths.map((path) => getText(url + path)));

const collection = (type: string) => policyTypes.find((t) => t.name === type)!.path;

/** One inspection against the reads it is made of; `check` validates the answer once. */
function inspectionBenchmark(options: {
  id: string;
  operation: string;
  store: Store;
  path: (ctx: BenchContext) => string;
  /** The plain reads of the same data. */
  reads: (ctx: BenchContext) => string[];
  baselineName: string;
  targetMs: number;
  check: (answer: { total: number; items: unknown[] }, ctx: BenchContext) => void;
}): Benchmark {
  return {
    id: options.id,
    async run(ctx): Promise<Row> {
      const server = await ctx.inspectionMesh(options.store);
      const path = options.path(ctx);
      const answer = await getText(server.url + path);
      options.check(JSON.parse(answer) as { total: number; items: unknown[] }, ctx);
      const reads = options.reads(ctx);
      const plain = await getAll(server.url, reads);
      const samples = await alternate(
        ctx.settings.rounds,
        () => medianWallTime(ctx.settings.inspectionSeconds, () => getAll(server.url, reads)),
        () => medianWallTime(ctx.settings.inspectionSeconds, () => getText(server.url + path)),
      );
      return rowOf({
        id: options.id,
        operation: options.operation,
        unit: "ms",
        baselineName: options.baselineName,
        target: { op: "<=", value: options.targetMs, absolute: true },
        samples,
        thresholds: ctx.settings.thresholds,
        details: {
          path,
          reads,
          answerBytes: Buffer.byteLength(answer),
          readBytes: plain.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
          seconds: ctx.settings.inspectionSeconds,
        },
      });
    },
  };
}

const sizesOf = (ctx: BenchContext) => ctx.settings.sizes.inspection;
const mesh = `/meshes/${MESH.inspect}`;

/** `…/dataplanes/{name}/policies` of a dataplane in the middle of the mesh. */
function dataplanePolicies(store: Store): Benchmark {
  const name = (ctx: BenchContext) => dataplaneName(Math.floor(sizesOf(ctx).dataplanes / 2) + 1);
  return inspectionBenchmark({
    id: `inspect/${store}/dataplane`,
    operation: `inspect one dataplane (p50), ${store} store`,
    store,
    path: (ctx) => `${mesh}/dataplanes/${name(ctx)}/policies`,
    reads: (ctx) => [`${mesh}/dataplanes/${name(ctx)}`, mesh, ...policyTypes.map((type) => `${mesh}/${type.path}`)],
    baselineName: "GET of it, its mesh and the 6 policy lists",
    targetMs: 50,
    check: (answer) => {
      if (answer.total < 5) throw new Error(`the inspection has ${answer.total} items`);
    },
  });
}

/**
 * `…/health-checks/{name}/dataplanes`: the costliest policy to place (every
 * dataplane's routes are decided to find the services it reaches), for a
 * health check of every source.
 */
function policyDataplanes(store: Store): Benchmark {
  const name = policyName(prefixOf("HealthCheck"), 0);
  return inspectionBenchmark({
    id: `inspect/${store}/policy`,
    operation: `dataplanes of a HealthCheck (p50), ${store} store`,
    store,
    path: () => `${mesh}/${collection("HealthCheck")}/${name}/dataplanes`,
    reads: () => [
      `${mesh}/${collection("HealthCheck")}/${name}`,
      mesh,
      `${mesh}/dataplanes`,
      `${mesh}/${collection("HealthCheck")}`,
      `${mesh}/${collection("TrafficRoute")}`,
    ],
    baselineName: "GET of it, its mesh, and the lists of dataplanes, health checks and routes",
    targetMs: 1000,
    check: (answer, ctx) => {
      if (ctx.settings.thresholds && answer.total === 0) throw new Error(`${name} applies nowhere`);
    },
  });
}

export const inspectionBenchmarks: Benchmark[] = (["memory", "redis"] as const).flatMap((store) => [
  dataplanePolicies(store),
  policyDataplanes(store),
]);
