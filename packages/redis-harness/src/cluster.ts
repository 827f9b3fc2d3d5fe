/** A Redis Cluster of masters (no replicas) on free ports, created with `redis-cli --cluster create`. */
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { redisCliBinary, redisServerBinary, requireBinary } from "./binaries.js";
import { findFreeClusterPort } from "./ports.js";
import { RedisProcess, sleep } from "./process.js";
import { sendCommand } from "./resp.js";
import { ephemeralArgs } from "./server.js";

const run = promisify(execFile);

/** Options of startRedisCluster. */
export interface RedisClusterOptions {
  /** How many masters; Redis Cluster needs at least 3. */
  readonly masters?: number;
}

/** A running Redis Cluster. */
export interface RedisCluster {
  /** The masters, in port order. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  /** Stops every node and removes their directories. */
  stop(): Promise<void>;
}

/**
 * Starts `masters` cluster-enabled redis-servers, joins them into one
 * cluster covering all 16384 slots, and waits until every node reports
 * `cluster_state:ok`.
 *
 * @example
 * const cluster = await startRedisCluster({ masters: 3 });
 * try { new Cluster(cluster.nodes) ... } finally { await cluster.stop(); }
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<RedisCluster> {
  const masters = options.masters ?? 3;
  if (masters < 3) throw new RangeError("a Redis Cluster needs at least 3 masters");
  const cli = redisCliBinary();
  requireBinary(cli);
  const dir = await mkdtemp(join(tmpdir(), "kuma-redis-cluster-"));
  const processes: RedisProcess[] = [];
  const stopAll = async (): Promise<void> => {
    await Promise.all(processes.map((p) => p.stop()));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const taken = new Set<number>();
    for (let i = 0; i < masters; i++) {
      for (let attempt = 1; ; attempt++) {
        const port = await findFreeClusterPort(taken);
        const node = new RedisProcess(redisServerBinary(), port, [
          ...ephemeralArgs(dir),
          "--cluster-enabled",
          "yes",
          "--cluster-config-file",
          `nodes-${port}.conf`,
          "--cluster-node-timeout",
          "3000",
        ]);
        try {
          await node.start();
        } catch (error) {
          if (attempt >= 3) throw error;
          continue;
        }
        processes.push(node);
        taken.add(port);
        break;
      }
    }
    const addresses = processes.map((p) => `127.0.0.1:${p.port}`);
    await run(
      cli,
      ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"],
      {
        timeout: 30_000,
      },
    );
    await waitForClusterOk(
      processes.map((p) => p.port),
      masters,
    );
  } catch (error) {
    await stopAll();
    throw error;
  }
  return {
    nodes: processes
      .map((p) => ({ host: "127.0.0.1", port: p.port }))
      .sort((a, b) => a.port - b.port),
    stop: stopAll,
  };
}

/** Waits until every node sees a healthy cluster of `size` nodes with all slots assigned. */
async function waitForClusterOk(
  ports: readonly number[],
  size: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const infos = await Promise.all(
      ports.map((port) =>
        sendCommand(port, ["CLUSTER", "INFO"]).then(String, (e: Error) => e.message),
      ),
    );
    const healthy = infos.every(
      (info) =>
        info.includes("cluster_state:ok") &&
        info.includes("cluster_slots_assigned:16384") &&
        info.includes(`cluster_known_nodes:${size}`),
    );
    if (healthy) return;
    if (Date.now() > deadline) {
      throw new Error(
        `the cluster did not become ready within ${timeoutMs}ms:\n${infos.join("\n---\n")}`,
      );
    }
    await sleep(50);
  }
}
