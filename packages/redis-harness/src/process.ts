/**
 * One redis-server child process: started with the given arguments, known
 * to be up when it answers PING, stopped (or killed) on request and, as a
 * last resort, when the test process exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { requireBinary } from "./binaries.js";
import { RespErrorReply, sendCommand } from "./resp.js";

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killAll(): void {
  for (const child of live) {
    child.kill("SIGCONT");
    child.kill("SIGKILL");
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // A test file that forgets stop() (or fails in beforeAll) must not leave servers behind.
  process.on("exit", killAll);
  // Vitest ends a worker with SIGTERM (e.g. after a test timed out), which skips "exit".
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    const onSignal = (): void => {
      killAll();
      process.removeListener(signal, onSignal);
      // Die of the signal as if we had never listened, unless someone else handles it.
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

/** The last lines a process wrote, for error messages. */
class OutputTail {
  private lines: string[] = [];
  append(chunk: Buffer): void {
    this.lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
    if (this.lines.length > 30) this.lines = this.lines.slice(-30);
  }
  toString(): string {
    return this.lines.join("\n");
  }
}

/** A started redis-server process. */
export class RedisProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private readonly output = new OutputTail();

  /** `configFile`, when given, comes first on the command line, as redis-server requires. */
  constructor(
    private readonly binary: string,
    readonly port: number,
    private readonly args: readonly string[],
    private readonly configFile?: string,
  ) {}

  /** Spawns the server and resolves once it answers PING; rejects (with its output) if it exits first. */
  async start(timeoutMs = 10_000): Promise<void> {
    requireBinary(this.binary);
    installExitHook();
    const configArgs = this.configFile === undefined ? [] : [this.configFile];
    const child = spawn(this.binary, [...configArgs, "--port", String(this.port), ...this.args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.child = child;
    live.add(child);
    child.stdout?.on("data", (chunk: Buffer) => this.output.append(chunk));
    child.stderr?.on("data", (chunk: Buffer) => this.output.append(chunk));
    let exitCode: number | string | null | undefined;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code, signal) => {
        exitCode = code ?? signal;
        live.delete(child);
        resolve();
      });
      child.once("error", () => resolve());
    });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (exitCode !== undefined) {
        throw new Error(
          `redis-server on port ${this.port} exited (${exitCode}) while starting:\n${this.output}`,
        );
      }
      try {
        if ((await sendCommand(this.port, ["PING"], { timeoutMs: 500 })) === "PONG") return;
      } catch (error) {
        // An error reply (such as NOAUTH with --requirepass) means it is up; anything else, not yet.
        if (error instanceof RespErrorReply) return;
      }
      if (Date.now() > deadline) {
        await this.kill();
        throw new Error(
          `redis-server on port ${this.port} did not answer PING within ${timeoutMs}ms:\n${this.output}`,
        );
      }
      await sleep(25);
    }
  }

  /** Whether the process is running. */
  get running(): boolean {
    return this.child !== undefined && live.has(this.child);
  }

  /** Stops the server gracefully (SIGTERM), killing it if it does not exit within 5 s. */
  async stop(): Promise<void> {
    await this.signal("SIGTERM", 5000);
  }

  /** Kills the server abruptly (SIGKILL), as a crash would. */
  async kill(): Promise<void> {
    await this.signal("SIGKILL", 5000);
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing answers, as in a network partition. */
  pause(): void {
    if (this.running) this.child?.kill("SIGSTOP");
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    if (this.running) this.child?.kill("SIGCONT");
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const child = this.child;
    if (!child || !live.has(child)) return;
    child.kill("SIGCONT"); // a paused server cannot handle SIGTERM
    child.kill(signal);
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
