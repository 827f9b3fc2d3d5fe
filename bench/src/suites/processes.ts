/**
 * The benchmarks of whole processes: the memory the memory store takes,
 * `kumactl get meshes` against a bare `fetch`, and `kuma-cp run` to its
 * first 200 against a bare `node:http` script.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Benchmark } from "../benchmark.js";
import { alternate, rowOf, type Row } from "../compare.js";
import { kumaCpBin } from "../context.js";
import { baselineScript, exitOf, freePort, packageBin, waitFor200 } from "../processes.js";

const MB = 1024 * 1024;

/** RSS added by the big mesh's dataplanes against their JSON size. */
const memory: Benchmark = {
  id: "rss/memory",
  async run(ctx): Promise<Row> {
    const big = await ctx.bigMesh("memory-big");
    const before = big.rssBefore as number;
    const after = big.rssAfter as number;
    const served = big.servedJsonBytes as number;
    return rowOf({
      id: this.id,
      operation: `RSS added by ${ctx.settings.sizes.big.toLocaleString("en")} dataplanes, memory store`,
      unit: "MB",
      baselineName: "their JSON as served",
      target: { op: "<=", value: 3 },
      samples: { ours: [(after - before) / MB], baseline: [served / MB] },
      thresholds: ctx.settings.thresholds,
      details: {
        rssBeforeBytes: before,
        rssAfterBytes: after,
        servedJsonBytes: served,
        putBodyJsonBytes: big.jsonBytes,
        ratioToPutBodies: (after - before) / big.jsonBytes,
      },
    });
  },
};

/** Runs `node ...args` to its exit; the wall time in ms. Throws unless it exits 0 printing `expect`. */
function timeNode(args: readonly string[], expect: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => {
      const ms = performance.now() - started;
      if (code !== 0 || !output.includes(expect)) reject(new Error(`node ${args.join(" ")}: exit ${code}\n${output}`));
      else resolve(ms);
    });
  });
}

/** `kumactl get meshes` (bundled bin, temporary config file) against `node -e "fetch(url)..."`. */
const cli: Benchmark = {
  id: "cli/get-meshes",
  async run(ctx): Promise<Row> {
    const server = await ctx.ours("cli");
    const dir = await mkdtemp(join(tmpdir(), "kuma-bench-"));
    try {
      const configFile = join(dir, "kumactl.yaml");
      await writeFile(
        configFile,
        "contexts:\n- controlPlane: bench\n  name: bench\ncontrolPlanes:\n- coordinates:\n    apiServer:\n" +
          `      url: ${server.url}\n  name: bench\ncurrentContext: bench\n`,
      );
      const kumactl = packageBin("@kuma-ts/cli", "kumactl");
      const ours = () => timeNode([kumactl, "--config-file", configFile, "get", "meshes"], "default");
      const fetchScript = `fetch(${JSON.stringify(`${server.url}/meshes`)}).then(r=>r.text()).then(console.log)`;
      const baseline = () => timeNode(["-e", fetchScript], "default");
      const samples = await alternate({ rounds: ctx.settings.cliRuns, warmup: ctx.settings.rounds.warmup }, baseline, ours);
      return rowOf({
        id: this.id,
        operation: "kumactl get meshes, wall time",
        unit: "ms",
        baselineName: 'node -e "fetch(url)..."',
        target: { op: "<=", value: 1.25 },
        samples,
        thresholds: ctx.settings.thresholds,
        details: { runs: ctx.settings.cliRuns, bin: kumactl },
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

/** Spawns `node <script> ...args` and times it to its first 200 on `/`; then stops it. */
async function timeToFirst200(script: string, args: (port: number) => string[], env: (port: number) => Record<string, string>): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [script, ...args(port)], {
    env: { ...process.env, ...env(port) },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const exited = exitOf(child);
  try {
    await waitFor200(`http://127.0.0.1:${port}/`, { intervalMs: 2, timeoutMs: 30_000, exited });
    return performance.now() - started;
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
}

/** `kuma-cp run` (memory store) to its first 200 against a bare `node:http` script. */
const startup: Benchmark = {
  id: "startup/kuma-cp",
  async run(ctx): Promise<Row> {
    const diagnostics = await freePort();
    const ours = () =>
      timeToFirst200(kumaCpBin(), () => ["run", "--log-level", "warn"], (port) => ({
        KUMA_API_SERVER_PORT: String(port),
        KUMA_API_SERVER_INTERFACE: "127.0.0.1",
        KUMA_DIAGNOSTICS_PORT: String(diagnostics),
        KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
        KUMA_GUI_SERVER_PORT: "0",
        KUMA_STORE_TYPE: "memory",
      }));
    const baseline = () => timeToFirst200(baselineScript("first-200"), (port) => [String(port)], () => ({}));
    const samples = await alternate({ rounds: ctx.settings.startupRuns, warmup: ctx.settings.rounds.warmup }, baseline, ours);
    return rowOf({
      id: this.id,
      operation: "kuma-cp run to its first 200 on /",
      unit: "ms",
      baselineName: "bare node:http script",
      target: { op: "<=", value: 2 },
      samples,
      thresholds: ctx.settings.thresholds,
      details: { runs: ctx.settings.startupRuns, pollIntervalMs: 2 },
    });
  },
};

export const processBenchmarks: Benchmark[] = [memory, cli, startup];
