#!/usr/bin/env node
/**
 * The `kuma-cp` bin: the only place that reads the real argv and
 * environment, installs signal handlers and exits.
 */
import { pino } from "pino";
import { runCli } from "./cli/run-cli.js";

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(1); // a second signal: stop waiting for the drain
  stop.abort(signal);
};
process.on("SIGTERM", onSignal);
process.on("SIGINT", onSignal);

const logDestination = pino.destination({ dest: 1, sync: true });
const status = await runCli(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  stopSignal: stop.signal,
  logDestination,
});
process.exit(status);
