/**
 * Runs kumactl in this process, the way a shell would, and captures what it
 * prints: stdout, stderr and the exit status.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import type { ClientOptions, Fetch, KumaClient } from "@kuma-ts/client";
import { runKumactl } from "../program.js";

/** The default configuration file of runs that do not name one: a scratch path, never the user's. */
const UNUSED_CONFIG = path.join(tmpdir(), `kumactl-tests-${process.pid}`, "config");

/** What one run printed. */
export interface KumactlResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** What a run sees of the outside world. */
export interface RunOptions {
  /** The default configuration file (what `~/.kumactl/config` would be); null to let kumactl find it under HOME. */
  readonly configPath?: string | null;
  readonly env?: Record<string, string | undefined>;
  readonly stdin?: string;
  readonly fetch?: Fetch;
  readonly createClient?: (options: ClientOptions) => KumaClient;
}

/** Runs `kumactl <args>`. */
export async function kumactl(
  args: readonly string[],
  options: RunOptions = {},
): Promise<KumactlResult> {
  return startKumactl(args, options).done;
}

/** A run that goes on by itself (a watch): what it printed so far, waits for output, and Ctrl-C. */
export interface RunningKumactl {
  stdout(): string;
  stderr(): string;
  /**
   * Resolves with stdout once `until` holds for it (checked at every write);
   * rejects when the run ends before.
   */
  waitFor(until: (stdout: string) => boolean): Promise<string>;
  /** What Ctrl-C does to kumactl. */
  interrupt(): void;
  readonly done: Promise<KumactlResult>;
}

/** Starts `kumactl <args>` in this process. */
export function startKumactl(args: readonly string[], options: RunOptions = {}): RunningKumactl {
  let stdout = "";
  let stderr = "";
  let finished = false;
  const waiters = new Set<{
    until: (stdout: string) => boolean;
    settle: (ended: boolean) => void;
  }>();
  const check = () => {
    for (const waiter of waiters) if (waiter.until(stdout) || finished) waiter.settle(finished);
  };
  const interrupts = new Set<() => void>();
  const done = runKumactl(args, {
    stdout: {
      write: (text: string) => {
        stdout += text;
        check();
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? {},
    ...(options.configPath !== null && { configPath: options.configPath ?? UNUSED_CONFIG }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.createClient ? { createClient: options.createClient } : {}),
    onInterrupt(stop) {
      interrupts.add(stop);
      return () => interrupts.delete(stop);
    },
  }).then((code) => {
    finished = true;
    check();
    return { stdout, stderr, code };
  });
  return {
    stdout: () => stdout,
    stderr: () => stderr,
    waitFor: (until) =>
      new Promise((resolve, reject) => {
        const waiter = {
          until,
          settle(ended: boolean) {
            waiters.delete(waiter);
            if (until(stdout)) resolve(stdout);
            else if (ended)
              reject(new Error(`kumactl ended first; stdout:\n${stdout}\nstderr:\n${stderr}`));
          },
        };
        waiters.add(waiter);
        check();
      }),
    interrupt() {
      for (const stop of [...interrupts]) stop();
    },
    done,
  };
}

/** A scratch folder, removed by `cleanup`. */
export async function scratchDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), "kumactl-test-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The configuration file of a single control plane `test` at `url`, as kumactl writes it. */
export function configFor(url: string, name = "test"): string {
  return [
    "contexts:",
    `- controlPlane: ${name}`,
    `  name: ${name}`,
    "controlPlanes:",
    "- coordinates:",
    "    apiServer:",
    `      url: ${url}`,
    `  name: ${name}`,
    `currentContext: ${name}`,
    "",
  ].join("\n");
}

/** Writes a configuration file for `url` into `dir` and returns its path. */
export async function writeConfigFor(dir: string, url: string): Promise<string> {
  const file = path.join(dir, "config");
  await writeFile(file, configFor(url));
  return file;
}
