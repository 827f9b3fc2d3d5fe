/**
 * `kuma-cp run` as a real child process: the built binary of
 * @kuma-ts/server, configured through environment variables only, on
 * ports the operating system picks (port 0; the addresses are read from the
 * server's "kuma-cp started" log line).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The built `kuma-cp` bin, as the @kuma-ts/server package declares it (`bin.kuma-cp`). */
export function kumaCpBinary(): string {
  const manifestPath = createRequire(import.meta.url).resolve("@kuma-ts/server/package.json");
  const manifest = JSON.parse(readFileSync(manifestPath, "utf8")) as {
    bin?: Record<string, string>;
  };
  const bin = manifest.bin?.["kuma-cp"];
  if (!bin) throw new Error(`${manifestPath} declares no kuma-cp bin`);
  const binary = join(dirname(manifestPath), bin);
  if (!existsSync(binary)) {
    throw new Error(
      `${binary} does not exist: build the server first (pnpm turbo run build --filter=@kuma-ts/e2e^...)`,
    );
  }
  return binary;
}

/** How a process ended. */
export interface ExitStatus {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Resident memory of a process, from /proc. */
export interface ProcessMemory {
  /** Current resident set size, bytes. */
  readonly rss: number;
  /** Peak resident set size since the process started, bytes. */
  readonly peak: number;
}

/** A running `kuma-cp run` process. */
export interface KumaCp {
  readonly name: string;
  readonly pid: number;
  /** `http://127.0.0.1:<port>` of the API. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` of /healthy, /ready and /metrics. */
  readonly diagnosticsUrl: string;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** The JSON log lines written so far. */
  logs(): Record<string, unknown>[];
  /** Resolves when the process has exited. */
  readonly exited: Promise<ExitStatus>;
  /** How the process ended, or undefined while it runs. */
  exitStatus(): ExitStatus | undefined;
  /** Sends a signal. */
  kill(signal: NodeJS.Signals): void;
  /** SIGTERM, then waits for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<ExitStatus>;
  /** Memory of the process right now. */
  memory(): ProcessMemory;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A test run that dies early must not leave control planes behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/** The parent's environment without any KUMA_* setting, so that only what a test sets applies. */
function baseEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value === undefined || key.startsWith("KUMA_") || key === "NODE_OPTIONS") continue;
    env[key] = value;
  }
  return env;
}

/** Options of startKumaCp. */
export interface KumaCpOptions {
  /** A label for messages and figures. */
  readonly name?: string;
  /** KUMA_* variables; ports and interfaces default to 0 and 127.0.0.1. */
  readonly env: Readonly<Record<string, string>>;
  /** How long the process may take to log that it started. */
  readonly startTimeoutMs?: number;
}

let started = 0;

/**
 * Spawns `node <kuma-cp> run` and resolves once it logged "kuma-cp started"
 * with its addresses; rejects with its output if it exits or times out first.
 *
 * @example
 * const cp = await startKumaCp({ env: { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_URL: redis.url } });
 * await fetch(`${cp.apiUrl}/meshes`);
 * expect((await cp.stop()).code).toBe(0);
 */
export async function startKumaCp(options: KumaCpOptions): Promise<KumaCp> {
  installExitHook();
  const name = options.name ?? `kuma-cp-${++started}`;
  const child = spawn(process.execPath, [kumaCpBinary(), "run"], {
    env: {
      ...baseEnvironment(),
      KUMA_API_SERVER_PORT: "0",
      KUMA_API_SERVER_INTERFACE: "127.0.0.1",
      KUMA_DIAGNOSTICS_PORT: "0",
      KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
      KUMA_GUI_SERVER_PORT: "0",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let output = "";
  let stdoutRest = "";
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  const notify = (): void => waiters.forEach((waiter) => waiter());
  child.stdout.on("data", (chunk: Buffer) => {
    const text = chunk.toString("utf8");
    output += text;
    const lines = (stdoutRest + text).split("\n");
    stdoutRest = lines.pop() ?? "";
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a log line (e.g. a message of a library): kept in output() only.
      }
    }
    notify();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  let status: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("exit", (code, signal) => {
      live.delete(child);
      status = { code, signal };
      notify();
      resolve(status);
    });
  });

  const startLine = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timeoutMs = options.startTimeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      waiters.delete(check);
      child.kill("SIGKILL");
      reject(new Error(`${name} did not start within ${timeoutMs}ms:\n${output}`));
    }, timeoutMs);
    const check = (): void => {
      const line = logs.find((entry) => entry.msg === "kuma-cp started");
      if (line) {
        clearTimeout(timer);
        waiters.delete(check);
        resolve(line);
      } else if (status) {
        clearTimeout(timer);
        waiters.delete(check);
        reject(
          new Error(`${name} exited (${status.code ?? status.signal}) while starting:\n${output}`),
        );
      }
    };
    waiters.add(check);
    check();
  });

  const pid = child.pid ?? -1;
  return {
    name,
    pid,
    apiUrl: String(startLine.apiUrl),
    diagnosticsUrl: String(startLine.diagnosticsUrl),
    output: () => output,
    logs: () => logs,
    exited,
    exitStatus: () => status,
    kill: (signal) => {
      if (!status) child.kill(signal);
    },
    async stop(graceMs = 35_000) {
      if (status) return status;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    memory: () => processMemory(pid),
  };
}

/** Starts `count` replicas at once with the same environment. */
export function startReplicas(
  count: number,
  env: Readonly<Record<string, string>>,
  label = "replica",
): Promise<KumaCp[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => startKumaCp({ name: `${label}-${i + 1}`, env })),
  );
}

/** Stops replicas (SIGTERM) and returns their exit statuses. */
export function stopAll(replicas: readonly (KumaCp | undefined)[]): Promise<ExitStatus[]> {
  return Promise.all(replicas.filter((r): r is KumaCp => r !== undefined).map((r) => r.stop()));
}

/** VmRSS and VmHWM of a process (Linux). */
export function processMemory(pid: number): ProcessMemory {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string): number => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
    if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
    return Number(match[1]) * 1024;
  };
  return { rss: kib("VmRSS"), peak: kib("VmHWM") };
}
