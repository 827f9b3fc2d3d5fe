/** A standalone redis-server on a free port, with no persistence. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerBinary } from "./binaries.js";
import { findFreePort } from "./ports.js";
import { RedisProcess } from "./process.js";

/** Options of startRedisServer. */
export interface RedisServerOptions {
  /** The port to listen on; a free one when absent. */
  readonly port?: number;
  /** Extra redis-server arguments (`["--requirepass", "secret"]`). */
  readonly args?: readonly string[];
  /**
   * Also listen for TLS on a free port (`tlsPort`), with these PEM files;
   * clients must present a certificate signed by `caFile`.
   */
  readonly tls?: { readonly certFile: string; readonly keyFile: string; readonly caFile: string };
}

/** A running standalone redis-server. */
export interface RedisServer {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** The TLS port, when started with `tls`. */
  readonly tlsPort?: number;
  /** Stops the server (SIGTERM) and removes its directory. */
  stop(): Promise<void>;
  /** Kills the server (SIGKILL), as a crash would; restart() brings it back. */
  kill(): Promise<void>;
  /** Starts the server again on the same port (stopping it first if it runs). Data is not kept. */
  restart(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open, nothing answers. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
}

/** The arguments that make a throwaway server: no RDB, no AOF, files in `dir`, loopback only. */
export function ephemeralArgs(dir: string): string[] {
  return [
    "--bind",
    "127.0.0.1",
    "--save",
    "",
    "--appendonly",
    "no",
    "--dir",
    dir,
    "--daemonize",
    "no",
  ];
}

/**
 * Starts a redis-server on a free port (never 6379 unless asked) and waits
 * until it answers PING.
 *
 * @example
 * const redis = await startRedisServer();
 * try { ... redis.url ... } finally { await redis.stop(); }
 */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = await mkdtemp(join(tmpdir(), "kuma-redis-"));
  const binary = redisServerBinary();
  let server: RedisProcess | undefined;
  let tlsPort: number | undefined;
  try {
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (await findFreePort());
      const tlsArgs: string[] = [];
      if (options.tls) {
        tlsPort = await findFreePort();
        tlsArgs.push(
          ...["--tls-port", String(tlsPort), "--tls-auth-clients", "yes"],
          ...["--tls-cert-file", options.tls.certFile, "--tls-key-file", options.tls.keyFile],
          ...["--tls-ca-cert-file", options.tls.caFile],
        );
      }
      const candidate = new RedisProcess(binary, port, [
        ...ephemeralArgs(dir),
        ...tlsArgs,
        ...(options.args ?? []),
      ]);
      try {
        await candidate.start();
        server = candidate;
        break;
      } catch (error) {
        // Another process may have taken a free port between the check and the bind.
        if (options.port !== undefined || attempt >= 3) throw error;
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    host: "127.0.0.1",
    port: running.port,
    url: `redis://127.0.0.1:${running.port}`,
    ...(tlsPort === undefined ? {} : { tlsPort }),
    async stop() {
      await running.stop();
      await rm(dir, { recursive: true, force: true });
    },
    kill: () => running.kill(),
    pause: () => running.pause(),
    resume: () => running.resume(),
    async restart() {
      await running.stop();
      await running.start();
    },
  };
}
