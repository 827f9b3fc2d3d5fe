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
  let stdout = "";
  let stderr = "";
  const code = await runKumactl(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdin: Readable.from([options.stdin ?? ""]),
    env: options.env ?? {},
    ...(options.configPath !== null && { configPath: options.configPath ?? UNUSED_CONFIG }),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.createClient ? { createClient: options.createClient } : {}),
  });
  return { stdout, stderr, code };
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
