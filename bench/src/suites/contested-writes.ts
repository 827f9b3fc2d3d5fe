/**
 * PUT with 32 concurrent writers of one key (http-api.md §6): a PUT without
 * preconditions is "make it so", so every answer must be a 2xx, whoever
 * else writes the key at the same moment. Each row starts on a name that
 * does not exist yet (its first PUTs race to create it) and goes on
 * updating it; it counts the answers that are not 2xx against all
 * answers (target 0). The load is split evenly over the servers of the row.
 */
import type { Request } from "autocannon";
import type { Benchmark } from "../benchmark.js";
import { rowOf, type Row } from "../compare.js";
import { MESH, type BenchContext } from "../context.js";
import { dataplane, dataplanePath } from "../data.js";
import { runLoad } from "../load.js";
import type { ServerProcess } from "../processes.js";
import { createMesh } from "../seed.js";

/** Where the writers write: the label of the row and the servers that take the load. */
interface Target {
  readonly label: string;
  readonly servers: (ctx: BenchContext) => Promise<ServerProcess[]>;
}

const TARGETS: Record<string, Target> = {
  memory: { label: "memory store", servers: async (ctx) => [await ctx.ours("memory")] },
  redis: { label: "redis store", servers: async (ctx) => [await ctx.ours("redis")] },
  cluster: { label: "Redis Cluster store (3 masters)", servers: async (ctx) => [await ctx.ours("redis-cluster")] },
  replicas: { label: "3 replicas on one Redis", servers: (ctx) => ctx.redisReplicas() },
};

/** The key of the `index`-th row: a dataplane of its own, so that each row begins with creates. */
function contestedPut(where: string, { label, servers: serversOf }: Target, index: number): Benchmark {
  return {
    id: `contested-put/${where}`,
    async run(ctx): Promise<Row> {
      const servers = await serversOf(ctx);
      await createMesh(servers[0]!.url, MESH.contested);
      const request: Request = {
        method: "PUT",
        path: dataplanePath(MESH.contested, index),
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(dataplane(MESH.contested, index)),
      };
      const { connections, seconds } = ctx.settings.contested;
      const runs = await Promise.all(
        servers.map((server, i) =>
          runLoad(
            server.url,
            [request],
            // 32 over 3 servers: 11, 11, 10.
            { connections: Math.floor(connections / servers.length) + (i < connections % servers.length ? 1 : 0), seconds },
            { countNon2xx: true },
          ),
        ),
      );
      const non2xx: Record<string, number> = {};
      for (const run of runs) for (const [status, count] of Object.entries(run.non2xx)) non2xx[status] = (non2xx[status] ?? 0) + count;
      const rejected = Object.values(non2xx).reduce((sum, count) => sum + count, 0);
      const answers = runs.reduce((sum, run) => sum + run.answers, rejected);
      return rowOf({
        id: this.id,
        operation: `non-2xx answers to PUT with ${connections} concurrent writers of one key, ${label}`,
        unit: "answers",
        baselineName: "all answers",
        target: { op: "<=", value: 0 },
        samples: { ours: [rejected], baseline: [answers] },
        thresholds: ctx.settings.thresholds,
        details: {
          non2xxByStatus: non2xx,
          servers: servers.length,
          successesPerSecond: runs.reduce((sum, run) => sum + run.requestsPerSecond, 0),
          load: ctx.settings.contested,
        },
      });
    },
  };
}

export const contestedWriteBenchmarks: Benchmark[] = Object.entries(TARGETS).map(([where, target], i) =>
  contestedPut(where, target, i),
);
