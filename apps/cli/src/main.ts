#!/usr/bin/env node
/**
 * The `kumactl` executable: the only module that touches the process —
 * its arguments, streams, signals, environment and exit status.
 */
import { createNodeFetch, nodeFetch } from "./node-fetch.js";
import { runKumactl } from "./program.js";

/** What ends a watch (`-w`): Ctrl-C, SIGTERM, or stdout's reader going away. */
const stops = new Set<() => void>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

function stopWatches(): void {
  const all = [...stops];
  stops.clear();
  listenToSignals();
  for (const stop of all) stop();
}

/** Signals are caught only while a watch runs: otherwise Ctrl-C ends kumactl as usual. */
function listenToSignals(): void {
  for (const signal of SIGNALS) {
    process.off(signal, stopWatches);
    if (stops.size > 0) process.on(signal, stopWatches);
  }
}

// A reader that went away (`kumactl get meshes | head -1`) is not an error worth a stack trace;
// a watch then has no one to print for and ends.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
    if (stream === process.stdout) stopWatches();
  });
}

process.exitCode = await runKumactl(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  fetch: nodeFetch,
  fetchWithTls: createNodeFetch,
  onInterrupt(stop) {
    stops.add(stop);
    listenToSignals();
    return () => {
      stops.delete(stop);
      listenToSignals();
    };
  },
});
