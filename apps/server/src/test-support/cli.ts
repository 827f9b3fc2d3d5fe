/** Running `kuma-cp` in-process through runCli, as main.ts does, with captured output. */
import { runCli } from "../cli/run-cli.js";
import type { RunningServer } from "../server/start-server.js";
import { testApiOrigins } from "./api.js";

/** A finished run: its exit status and output. */
export interface CliResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A run that started its servers. */
export interface StartedCli {
  readonly server: RunningServer;
  readonly stdout: () => string;
  /** Sends the stop signal (what SIGTERM does) and resolves with the exit status. */
  stop(): Promise<number>;
}

/** The environment every in-process run gets: loopback, free ports, quiet unless asked. */
export const LOOPBACK_ENV = {
  KUMA_API_SERVER_PORT: "0",
  KUMA_API_SERVER_INTERFACE: "127.0.0.1",
  KUMA_DIAGNOSTICS_PORT: "0",
  KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
  KUMA_GUI_SERVER_PORT: "0",
};

function capture() {
  let text = "";
  return { stream: { write: (chunk: string) => (text += chunk) }, text: () => text };
}

/** Runs the command line expecting it to stop on its own (usage or configuration errors). */
export async function runToEnd(argv: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const stdout = capture();
  const stderr = capture();
  const stop = new AbortController();
  const status = await runCli(argv, {
    env,
    stdout: stdout.stream,
    stderr: stderr.stream,
    stopSignal: stop.signal,
    onStarted: () => stop.abort("test"),
  });
  return { status, stdout: stdout.text(), stderr: stderr.text() };
}

/** Runs `kuma-cp` until stop() is called; rejects when it exits before listening. */
export function startCli(argv: string[], env: Record<string, string> = {}): Promise<StartedCli> {
  const stdout = capture();
  const stderr = capture();
  const stop = new AbortController();
  return new Promise((resolve, reject) => {
    const finished = runCli(argv, {
      env: { ...LOOPBACK_ENV, ...env },
      stdout: stdout.stream,
      stderr: stderr.stream,
      stopSignal: stop.signal,
      onStarted: (server) => {
        testApiOrigins.add(new URL(server.apiUrl).origin);
        resolve({
          server,
          stdout: stdout.text,
          stop: () => {
            stop.abort("SIGTERM");
            return finished;
          },
        });
      },
    });
    finished.then(
      (status) => reject(new Error(`kuma-cp exited with ${status} before listening: ${stderr.text()}`)),
      reject,
    );
  });
}
