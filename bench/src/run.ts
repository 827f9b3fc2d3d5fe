/**
 * `pnpm bench`: our API, store and CLI against minimal baselines of their
 * stack, measured in the same run, alternating, on loopback; prints the
 * table of ratios and writes the raw results to bench/results/.
 *
 *   node dist/run.js [--smoke] [--only=<id prefix>,...] [--profile] [--strict]
 *
 *   --smoke    tiny data, sub-second rounds, no thresholds (also BENCH_SMOKE=1)
 *   --only     only the benchmarks whose id starts with one of these (get, put/redis, contested-put, page, list-all, inspect, rss, cli, startup, gui, auth, ratelimit, watch)
 *   --profile  run our servers with --cpu-prof; profiles go to bench/results/profiles/
 *   --strict   exit 1 when a target is missed
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Benchmark } from "./benchmark.js";
import type { Row } from "./compare.js";
import { BenchContext } from "./context.js";
import { FULL, SMOKE } from "./settings.js";
import { authBenchmarks } from "./suites/auth.js";
import { contestedWriteBenchmarks } from "./suites/contested-writes.js";
import { guiBenchmarks } from "./suites/gui.js";
import { httpBenchmarks } from "./suites/http-load.js";
import { inspectionBenchmarks } from "./suites/inspection.js";
import { processBenchmarks } from "./suites/processes.js";
import { watchBenchmarks } from "./suites/watch.js";
import { formatCpuTable, formatTable } from "./table.js";

/** How many times a benchmark is run when servers die under it. */
const MAX_ATTEMPTS = 3;

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    strict: { type: "boolean", default: false },
  },
  // turbo and pnpm may pass a lone `--` through.
  args: process.argv.slice(2).filter((arg) => arg !== "--"),
});

const smoke = values.smoke || ["1", "true"].includes(process.env.BENCH_SMOKE ?? "");
const settings = smoke ? SMOKE : FULL;
const only = values.only?.split(",").map((id) => id.trim()).filter(Boolean);
const benchmarks: Benchmark[] = [
  ...httpBenchmarks,
  ...contestedWriteBenchmarks,
  ...inspectionBenchmarks,
  ...processBenchmarks,
  ...guiBenchmarks,
  ...authBenchmarks,
  ...watchBenchmarks,
].filter(
  (benchmark) => !only || only.some((prefix) => benchmark.id.startsWith(prefix)),
);
if (benchmarks.length === 0) {
  process.stderr.write(`no benchmark matches --only=${values.only}\n`);
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const profileDir = join(resultsDir, "profiles", stamp);
const ctx = new BenchContext(settings, values.profile ? ["--cpu-prof", "--cpu-prof-dir", profileDir] : []);
const log = (line: string): void => void process.stdout.write(`${line}\n`);

log(`kuma-ts benchmarks, ${settings.mode} mode: ${benchmarks.length} benchmarks, node ${process.version}, ` +
  `${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const started = performance.now();
const rows: Row[] = [];
const failures: { id: string; error: string }[] = [];
try {
  for (const benchmark of benchmarks) {
    const t0 = performance.now();
    for (let attempt = 1; ; attempt++) {
      try {
        const measured = [await benchmark.run(ctx)].flat();
        rows.push(...measured);
        const ratios = measured.map((row) => `${row.id} ${row.ratio.toFixed(2)}`).join(", ");
        log(`  ${benchmark.id}: ${ratios} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        break;
      } catch (error) {
        // A server killed under the run (this machine is shared) is started and seeded again, and the benchmark rerun.
        const dead = ctx.forgetDeadServers();
        if (dead.length > 0 && attempt < MAX_ATTEMPTS) {
          log(`  ${benchmark.id}: ${dead.join(", ")} died under it; again with new ones (${(error as Error).message})`);
          continue;
        }
        failures.push({ id: benchmark.id, error: (error as Error).stack ?? String(error) });
        log(`  ${benchmark.id}: FAILED ${(error as Error).message}`);
        break;
      }
    }
  }
} finally {
  await ctx.close();
}
const seconds = (performance.now() - started) / 1000;

log("");
log(formatTable(rows, settings.thresholds));
const cpuTable = formatCpuTable(rows);
if (cpuTable) log(cpuTable);
for (const row of rows) {
  const ratio = row.details?.ratioToPutBodies;
  if (typeof ratio === "number") log(`${row.operation}: ${ratio.toFixed(2)}× the JSON of the PUT bodies (without the store's timestamps)`);
}
for (const failure of failures) log(`FAILED ${failure.id}: ${failure.error}`);
for (const seeding of ctx.seedings) {
  const policies = seeding.policies ?? 0;
  log(`seeded ${seeding.dataplanes} dataplanes + ${seeding.insights} insights${policies ? ` + ${policies} policies` : ""} in mesh ${seeding.mesh} of ours (${seeding.server}) ` +
    `via the ${seeding.via} in ${seeding.seconds.toFixed(1)} s (${Math.round((seeding.dataplanes + seeding.insights + policies) / seeding.seconds)}/s)`);
}
const judged = rows.filter((row) => row.pass !== undefined);
const missed = judged.filter((row) => !row.pass);
log(settings.thresholds
  ? `${judged.length - missed.length} of ${judged.length} targets met, ${failures.length} benchmarks failed to run; ${seconds.toFixed(0)} s`
  : `smoke run (no thresholds): ${rows.length} measured, ${failures.length} failed to run; ${seconds.toFixed(1)} s`);

await mkdir(resultsDir, { recursive: true });
const report = {
  mode: settings.mode,
  date: new Date().toISOString(),
  seconds,
  machine: { node: process.version, cpus: os.cpus().length, model: os.cpus()[0]?.model, loadavgAtEnd: os.loadavg() },
  settings,
  rows,
  failures,
  seedings: ctx.seedings,
  ...(values.profile ? { profiles: profileDir } : {}),
};
const text = `${JSON.stringify(report, null, 2)}\n`;
await writeFile(join(resultsDir, `${settings.mode}-${stamp}.json`), text);
await writeFile(join(resultsDir, `latest-${settings.mode}.json`), text);
log(`raw results: bench/results/latest-${settings.mode}.json`);

process.exitCode = failures.length > 0 || (values.strict && missed.length > 0) ? 1 : 0;
