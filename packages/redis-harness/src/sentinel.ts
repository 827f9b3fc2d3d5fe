/** A Redis Sentinel watching one master, for tests of the Sentinel mode. */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerBinary } from "./binaries.js";
import { findFreePort } from "./ports.js";
import { RedisProcess, sleep } from "./process.js";
import { sendCommand } from "./resp.js";

/** Options of startRedisSentinel. */
export interface RedisSentinelOptions {
  /** The port of the master to watch (on 127.0.0.1). */
  readonly masterPort: number;
  /** The name the master is known by; `mymaster` when absent. */
  readonly masterName?: string;
}

/** A running sentinel. */
export interface RedisSentinel {
  readonly host: string;
  readonly port: number;
  readonly masterName: string;
  /** Stops the sentinel and removes its directory. */
  stop(): Promise<void>;
}

/** Starts one sentinel for the master and waits until it names that master's address. */
export async function startRedisSentinel(options: RedisSentinelOptions): Promise<RedisSentinel> {
  const masterName = options.masterName ?? "mymaster";
  const dir = await mkdtemp(join(tmpdir(), "kuma-redis-sentinel-"));
  const config = join(dir, "sentinel.conf");
  // Sentinel rewrites its configuration file, so it must be a writable file of its own.
  await writeFile(
    config,
    [
      `bind 127.0.0.1`,
      `dir ${dir}`,
      `sentinel monitor ${masterName} 127.0.0.1 ${options.masterPort} 1`,
      `sentinel down-after-milliseconds ${masterName} 5000`,
      "",
    ].join("\n"),
  );
  const sentinel = new RedisProcess(
    redisServerBinary(),
    await findFreePort(),
    ["--sentinel"],
    config,
  );
  try {
    await sentinel.start();
    const deadline = Date.now() + 10_000;
    for (;;) {
      const reply = await sendCommand(sentinel.port, [
        "SENTINEL",
        "get-master-addr-by-name",
        masterName,
      ]);
      if (Array.isArray(reply) && reply[1] === String(options.masterPort)) break;
      if (Date.now() > deadline) throw new Error(`sentinel does not know master ${masterName}`);
      await sleep(50);
    }
  } catch (error) {
    await sentinel.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    host: "127.0.0.1",
    port: sentinel.port,
    masterName,
    async stop() {
      await sentinel.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
