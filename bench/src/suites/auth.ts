/**
 * What authentication and rate limiting cost (auth.md): GET and PUT of a
 * dataplane with a valid user token (verified on every request: the server
 * is told the request was proxied, so it is not the local admin) against
 * the same requests without authentication, on the same server,
 * alternating; and GET through the rate limiter on Redis (limits too high
 * to refuse anything, so only the bucket's Lua script is added) against a
 * replica on the same Redis without it.
 */
import type { Request } from "autocannon";
import type { Benchmark } from "../benchmark.js";
import { alternate, rowOf, type Row } from "../compare.js";
import { MESH } from "../context.js";
import { dataplane, dataplanePath } from "../data.js";
import { getText } from "../http-client.js";
import { median, runLoad } from "../load.js";
import type { ServerProcess } from "../processes.js";

type Store = "memory" | "redis";

/** The bootstrap admin token of a server (read from loopback, as its operator would). */
async function adminToken(server: ServerProcess): Promise<string> {
  const secret = JSON.parse(await getText(`${server.url}/global-secrets/admin-user-token`)) as { data: string };
  return Buffer.from(secret.data, "base64").toString("utf8");
}

/** Alternating throughput (req/s) of two request lists against two servers, with each server's CPU time per answer. */
async function compare(
  ctx: Parameters<Benchmark["run"]>[0],
  baseline: { server: ServerProcess; requests: Request[] },
  ours: { server: ServerProcess; requests: Request[] },
): Promise<{ samples: { baseline: number[]; ours: number[] }; serverCpuMicros: { baseline: number; ours: number } }> {
  const cpu = { baseline: [] as number[], ours: [] as number[] };
  const side = (target: { server: ServerProcess; requests: Request[] }, into: number[]) => async () => {
    const run = await runLoad(target.server.url, target.requests, ctx.settings.throughput, { serverPid: target.server.pid });
    if (run.serverCpuMicrosPerAnswer !== undefined) into.push(run.serverCpuMicrosPerAnswer);
    return run.requestsPerSecond;
  };
  const samples = await alternate(ctx.settings.rounds, side(baseline, cpu.baseline), side(ours, cpu.ours));
  return { samples, serverCpuMicros: { baseline: median(cpu.baseline), ours: median(cpu.ours) } };
}

function withToken(method: "GET" | "PUT", store: Store): Benchmark {
  return {
    id: `auth/${method.toLowerCase()}/${store}`,
    async run(ctx): Promise<Row> {
      const server = await ctx.benchMesh(store);
      const token = await adminToken(server);
      const count = method === "GET" ? 1 : ctx.settings.sizes.writes;
      const plain: Request[] = Array.from({ length: count }, (_, i) => ({
        method,
        path: dataplanePath(MESH.bench, i),
        ...(method === "PUT"
          ? { headers: { "Content-Type": "application/json" }, body: JSON.stringify(dataplane(MESH.bench, i)) }
          : {}),
      }));
      const authenticated = plain.map((request) => ({
        ...request,
        headers: { ...request.headers, Authorization: `Bearer ${token}`, "X-Forwarded-For": "203.0.113.10" },
      }));
      const { samples, serverCpuMicros } = await compare(ctx, { server, requests: plain }, { server, requests: authenticated });
      return rowOf({
        id: this.id,
        operation: `${method} ${method === "PUT" ? "update of " : ""}a dataplane with a user token, ${store} store`,
        unit: "req/s",
        baselineName: "the same without authentication",
        target: { op: ">=", value: 0.9 },
        samples,
        thresholds: ctx.settings.thresholds,
        details: { load: ctx.settings.throughput, tokenAlgorithm: "EdDSA", serverCpuMicrosPerRequest: serverCpuMicros },
      });
    },
  };
}

const rateLimitedGet: Benchmark = {
  id: "ratelimit/redis",
  async run(ctx): Promise<Row> {
    const plain = await ctx.benchMesh("redis");
    const limited = await ctx.oursWith("redis", "rate-limited", {
      KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true",
      KUMA_API_SERVER_RATE_LIMIT_READS_PER_SECOND: "1000000",
      KUMA_API_SERVER_RATE_LIMIT_READ_BURST: "1000000",
    });
    // Anonymous and proxied: charged to one bucket by address (the local admin would be exempt).
    const requests: Request[] = [{ method: "GET", path: dataplanePath(MESH.bench, 0), headers: { "X-Forwarded-For": "203.0.113.11" } }];
    const { samples, serverCpuMicros } = await compare(ctx, { server: plain, requests }, { server: limited, requests });
    return rowOf({
      id: this.id,
      operation: "GET of a dataplane through the rate limiter (one Lua script per request), redis store",
      unit: "req/s",
      baselineName: "a replica without rate limits",
      samples,
      thresholds: ctx.settings.thresholds,
      details: { load: ctx.settings.throughput, serverCpuMicrosPerRequest: serverCpuMicros },
    });
  },
};

export const authBenchmarks: Benchmark[] = [
  withToken("GET", "memory"),
  withToken("PUT", "memory"),
  withToken("GET", "redis"),
  withToken("PUT", "redis"),
  rateLimitedGet,
];
