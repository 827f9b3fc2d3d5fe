/**
 * The servers under test as child processes: free ports, spawning, waiting
 * for the first 200, resident memory, stopping.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import http from "node:http";
import { createRequire } from "node:module";
import net from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

/** The compiled baselines (`dist/baselines/*.js`). */
export const baselineScript = (name: string): string =>
  join(dirname(fileURLToPath(import.meta.url)), "baselines", `${name}.js`);

/** The `bin` of a workspace package, from its package.json. */
export function packageBin(packageName: string, bin: string): string {
  const manifestPath = require.resolve(`${packageName}/package.json`);
  const manifest = require(manifestPath) as { bin?: Record<string, string> };
  const relative = manifest.bin?.[bin];
  if (!relative) throw new Error(`${packageName} has no bin ${bin}`);
  return join(dirname(manifestPath), relative);
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** One GET on a fresh connection: the status, or undefined when nothing answers yet. */
function probe(url: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    });
    request.on("error", () => resolve(undefined));
  });
}

/**
 * Polls `url` every `intervalMs` until it answers 200. Rejects after
 * `timeoutMs` or when `exited` settles first.
 */
export async function waitFor200(
  url: string,
  options: { timeoutMs?: number; intervalMs?: number; exited?: Promise<unknown> } = {},
): Promise<void> {
  const deadline = performance.now() + (options.timeoutMs ?? 30_000);
  let gone = false;
  void options.exited?.then(() => (gone = true));
  for (;;) {
    if ((await probe(url)) === 200) return;
    if (gone) throw new Error(`the process exited before ${url} answered 200`);
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 in time`);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 20));
  }
}

/** A running server process. */
export interface ServerProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** VmRSS of the process in bytes. */
  rss(): Promise<number>;
  /** Whether it has exited without being asked to (a crash, or another process killing it). */
  exitedUnexpectedly(): boolean;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it has exited. */
  stop(): Promise<void>;
}

/** Where the output of a child goes: the last few KiB, for error messages. */
function keepTail(child: ChildProcess): () => string {
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-4096);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return () => tail;
}

/** The resident set size of a process, in bytes (Linux: /proc/<pid>/status). */
export async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/** CPU time (user + system) a process has used, in microseconds (Linux: /proc/<pid>/stat, 10 ms resolution). */
export async function cpuMicrosOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // The command name may hold spaces: fields are counted after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

/** Resolves when the child has exited. */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });
}

/**
 * Spawns `node <script> ...args` and waits until `http://127.0.0.1:<port>/`
 * answers 200. `nodeFlags` go before the script (`--cpu-prof`).
 */
export async function startServer(options: {
  name: string;
  script: string;
  args: readonly string[];
  port: number;
  env?: Record<string, string>;
  nodeFlags?: readonly string[];
}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.script, ...options.args], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output = keepTail(child);
  const exited = exitOf(child);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    await waitFor200(`${url}/`, { exited });
  } catch (error) {
    child.kill("SIGKILL");
    throw new Error(`${options.name} did not start: ${(error as Error).message}\n${output()}`, { cause: error });
  }
  const pid = child.pid as number;
  let stopping = false;
  let died = false;
  // A server under test that dies mid-run (a crash, or another process killing it) is reported, not guessed at.
  child.once("exit", (code, signal) => {
    if (!stopping) {
      died = true;
      process.stderr.write(`[bench] ${options.name} (pid ${pid}) exited unexpectedly: code ${code}, signal ${signal}\n${output()}\n`);
    }
  });
  return {
    name: options.name,
    url,
    pid,
    rss: () => rssOf(pid),
    exitedUnexpectedly: () => died,
    async stop() {
      stopping = true;
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(timer);
    },
  };
}
