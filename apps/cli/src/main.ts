#!/usr/bin/env node
/**
 * The `kumactl` executable: the only module that touches the process —
 * its arguments, streams, environment and exit status.
 */
import { createNodeFetch, nodeFetch } from "./node-fetch.js";
import { runKumactl } from "./program.js";

// A reader that went away (`kumactl get meshes | head -1`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE") throw error;
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
    const signals = ["SIGINT", "SIGTERM"] as const;
    const release = () => {
      for (const signal of signals) process.off(signal, interrupted);
    };
    const interrupted = () => {
      release();
      stop();
    };
    for (const signal of signals) process.on(signal, interrupted);
    return release;
  },
});
