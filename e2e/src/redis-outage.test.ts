/**
 * Redis goes away under load and comes back: the real redis-server process
 * is killed (a crash) and restarted on the same port, or frozen (SIGSTOP,
 * as in a partition) and resumed. Three replicas keep answering — 503
 * `Service Unavailable` within the command timeout, /ready 503, /healthy
 * 200 — and the same processes recover by themselves. Redis runs with an
 * fsync'ed append-only file, so that what it acknowledged survives the
 * crash: afterwards every write a client saw acknowledged is there, and
 * every write that failed is either wholly there or wholly absent.
 */
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { quantile, reportFigures, sleep, Tally } from "./support/figures.js";
import { apiClient, etag } from "./support/http.js";
import { resourceId, scanKeyspace } from "./support/keyspace.js";
import { startKumaCp, startReplicas, stopAll, type KumaCp } from "./support/kuma-cp.js";
import { startWriteLoad, type LoadRecord } from "./support/load.js";
import { startProbes } from "./support/probes.js";
import { standaloneBackend, uniquePrefix, type RedisBackend } from "./support/redis-backends.js";
import { COLLECTION, markerOf, meshBody } from "./support/resources.js";

const COMMAND_TIMEOUT_MS = 500;
/**
 * What a 503 may take beyond the command timeout, as the replica timed it (its
 * access log): 90% of them within this small margin...
 */
const SERVER_MARGIN_MS = 250;
/**
 * ... and every one within this one, which also covers a replica's event loop
 * stalling when a 2-core machine runs this suite beside others. (An operation
 * allowed twice the timeout — a bug this suite found — fails the first bound.)
 */
const STALL_MARGIN_MS = 1000;
/** The same as the client saw it, the test process's own scheduling included. */
const CLIENT_MARGIN_MS = 1500;
/** How long Redis stays away. */
const OUTAGE_MS = 2500;
/** How long the replicas may take to serve again once Redis answers. */
const RECOVERY_LIMIT_MS = 5000;

describe("three replicas when their redis-server goes away and comes back", () => {
  let redis: RedisServer;
  let backend: RedisBackend;
  let prefix: string;
  let env: Record<string, string>;
  let replicas: KumaCp[] = [];
  const extra: KumaCp[] = [];

  beforeAll(async () => {
    // An fsync'ed append-only file: what Redis acknowledged survives a kill -9.
    redis = await startRedisServer({ args: ["--appendonly", "yes", "--appendfsync", "always"] });
    backend = standaloneBackend(redis);
    prefix = uniquePrefix("outage");
    // The access log gives each 503 as the replica timed it (below).
    env = {
      ...backend.env(prefix),
      KUMA_STORE_REDIS_COMMAND_TIMEOUT: `${COMMAND_TIMEOUT_MS}ms`,
      KUMA_API_SERVER_ACCESS_LOG: "true",
    };
    replicas = await startReplicas(3, env, "outage");
  });

  afterAll(async () => {
    const statuses = await stopAll([...replicas, ...extra]);
    await redis?.stop();
    expect(statuses.map((status) => status.code)).toEqual(statuses.map(() => 0));
  });

  async function outage(
    label: string,
    interrupt: () => Promise<void> | void,
    restore: () => Promise<void> | void,
    { startReplicaDuringOutage = false } = {},
  ): Promise<void> {
    const mesh = `load-${label}`;
    expect(
      (await apiClient(replicas[0]!.apiUrl).put(`/meshes/${mesh}`, meshBody(mesh))).status,
    ).toBe(201);
    const logsBefore = new Map(replicas.map((replica) => [replica.name, replica.logs().length]));
    const probes = startProbes(replicas);
    const load = startWriteLoad(replicas, mesh);
    await sleep(1000);

    const downAt = performance.now();
    await interrupt();
    let late: KumaCp | undefined;
    if (startReplicaDuringOutage) {
      // A replica that starts while Redis is away starts anyway and waits, not ready.
      late = await startKumaCp({ name: `${label}-late`, env });
      extra.push(late);
      probes.add(late);
    }
    await sleep(Math.max(0, downAt + OUTAGE_MS - performance.now()));
    // Keep Redis away until every replica, the late one too, has answered a /ready probe.
    const probedDuringOutage = (replica: KumaCp): boolean =>
      probes.records.some(
        (r) => r.replica === replica.name && r.path === "/ready" && r.sentAt > downAt + 100,
      );
    const outageDeadline = performance.now() + 10_000;
    while (
      performance.now() < outageDeadline &&
      !(late ? [...replicas, late] : replicas).every(probedDuringOutage)
    ) {
      await sleep(50);
    }
    const restoringAt = performance.now();
    await restore();
    const upAt = performance.now();

    // Wait until every replica serves writes again and every one reports ready.
    const everyone = late ? [...replicas, late] : replicas;
    const deadline = upAt + RECOVERY_LIMIT_MS + 5000;
    const servedAgain = (replica: KumaCp): boolean =>
      load.records.some(
        (r) => r.replica === replica.name && r.sentAt >= upAt && r.outcome.startsWith("2"),
      );
    const readyAgain = (replica: KumaCp): boolean =>
      probes.records.some(
        (r) =>
          r.replica === replica.name &&
          r.path === "/ready" &&
          r.sentAt >= upAt &&
          r.outcome === "200",
      );
    while (
      performance.now() < deadline &&
      !(replicas.every(servedAgain) && everyone.every(readyAgain))
    ) {
      await sleep(50);
    }
    await sleep(500);
    await load.stop();
    await probes.stop();

    // What clients saw.
    const outcomes = new Tally();
    load.records.forEach((r) => outcomes.add(r.outcome));
    const unavailable = load.records.filter((r) => r.outcome === "503");
    const badBodies = unavailable.filter((r) => {
      const body = JSON.parse(r.body ?? "{}") as { title?: string; details?: string };
      return body.details !== "Service Unavailable" || !body.title;
    });
    const first503 = Math.min(...unavailable.map((r) => r.endedAt)) - downAt;
    const latencies = unavailable.map((r) => r.endedAt - r.sentAt);
    // The same requests as each replica timed them (its access log), free of the test process's own delays.
    const serverLatencies = everyone.flatMap((replica) =>
      replica
        .logs()
        .slice(logsBefore.get(replica.name) ?? 0)
        .filter((line) => line.msg === "request" && line.status === 503)
        .map((line) => Number(line.durationMs)),
    );
    const readyDuring = everyone.map((replica) =>
      probes.records.filter(
        (r) =>
          r.replica === replica.name &&
          r.path === "/ready" &&
          r.sentAt > downAt + 100 &&
          r.endedAt < restoringAt,
      ),
    );
    const readyLatencies = readyDuring
      .flat()
      .filter((r) => r.outcome === "503")
      .map((r) => r.endedAt - r.sentAt);
    const healthy = probes.records.filter((r) => r.path === "/healthy");
    const recovery = replicas.map((replica) => {
      const first = load.records.find(
        (r) => r.replica === replica.name && r.sentAt >= upAt && r.outcome.startsWith("2"),
      );
      return first ? first.endedAt - upAt : Number.POSITIVE_INFINITY;
    });
    const readyRecovery = everyone.map((replica) => {
      const first = probes.records.find(
        (r) =>
          r.replica === replica.name &&
          r.path === "/ready" &&
          r.sentAt >= upAt &&
          r.outcome === "200",
      );
      return first ? first.endedAt - upAt : Number.POSITIVE_INFINITY;
    });

    // What Redis holds.
    const keyspace = await scanKeyspace(backend.nodes, prefix);
    const problems = checkDurability(load.records, mesh, keyspace);
    // Writes that failed read the same on every replica, and as the keyspace says.
    const failedTargets = [
      ...new Set(
        load.records
          .filter((r) => r.kind !== "read" && !r.outcome.startsWith("2"))
          .map((r) => r.target),
      ),
    ];
    for (const target of failedTargets) {
      const isMesh = !target.includes("/");
      const path = isMesh
        ? `/meshes/${target}`
        : `/meshes/${mesh}/${COLLECTION.TrafficTrace}/${target.slice(mesh.length + 1)}`;
      const seen = await Promise.all(
        everyone.map((replica) => apiClient(replica.apiUrl).get(path)),
      );
      const stored = isMesh
        ? keyspace.meshes.get(target)
        : keyspace.resources.get(resourceId(mesh, "TrafficTrace", target.slice(mesh.length + 1)));
      for (const response of seen) {
        const expected = stored ? 200 : 404;
        if (response.status !== expected || (stored && etag(response) !== stored.version)) {
          problems.push(
            `${path}: ${response.status} ${etag(response)}, keyspace says ${stored?.version ?? "absent"}`,
          );
        }
      }
    }

    reportFigures(`redis outage (${label})`, {
      replicas: everyone.length,
      "requests sent": load.records.length,
      outcomes: `(${outcomes})`,
      "503s": unavailable.length,
      "ms to first 503": Math.round(first503),
      "ms 503 latency p50": Math.round(quantile(latencies, 0.5)),
      "ms 503 latency max": Math.round(Math.max(...latencies)),
      "ms 503 latency p90 as the replicas timed it": Math.round(quantile(serverLatencies, 0.9)),
      "ms 503 latency max as the replicas timed it": Math.round(Math.max(...serverLatencies)),
      "ms commandTimeout": COMMAND_TIMEOUT_MS,
      "replicas with /ready 503 during the outage": `${readyDuring.filter((rs) => rs.some((r) => r.outcome === "503")).length}/${everyone.length}`,
      "/healthy 200": `${healthy.filter((r) => r.outcome === "200").length}/${healthy.length}`,
      "ms outage": Math.round(upAt - downAt),
      "ms recovery (first 2xx, slowest replica)": Math.round(Math.max(...recovery)),
      "ms to /ready 200 (slowest replica)": Math.round(Math.max(...readyRecovery)),
      "acknowledged writes": load.records.filter(
        (r) => r.kind !== "read" && r.outcome.startsWith("2"),
      ).length,
      "failed writes": failedTargets.length,
      "index leftovers": keyspace.indexLeftovers.length,
      "durability problems": problems.length,
      "keyspace violations": keyspace.violations.length,
    });

    expect(outcomes.except(["200", "201", "503"])).toEqual({});
    expect(unavailable.length).toBeGreaterThan(0);
    expect(badBodies).toEqual([]);
    expect(serverLatencies.length).toBe(unavailable.length);
    expect(quantile(serverLatencies, 0.9)).toBeLessThanOrEqual(
      COMMAND_TIMEOUT_MS + SERVER_MARGIN_MS,
    );
    expect(Math.max(...serverLatencies)).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + STALL_MARGIN_MS);
    expect(Math.max(...latencies)).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + CLIENT_MARGIN_MS);
    expect(Math.max(...readyLatencies)).toBeLessThanOrEqual(COMMAND_TIMEOUT_MS + CLIENT_MARGIN_MS);
    for (const during of readyDuring) expect(during.map((r) => r.outcome)).toContain("503");
    expect(healthy.filter((r) => r.outcome !== "200")).toEqual([]);
    expect(Math.max(...recovery)).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    expect(Math.max(...readyRecovery)).toBeLessThanOrEqual(RECOVERY_LIMIT_MS);
    // The same processes: none exited or was restarted.
    expect(everyone.filter((replica) => replica.exitStatus() !== undefined)).toEqual([]);
    expect(problems).toEqual([]);
    expect(keyspace.violations).toEqual([]);
    const failedMeshes = new Set(
      load.records.filter((r) => r.kind === "mesh" && r.outcome !== "201").map((r) => r.target),
    );
    expect(keyspace.indexLeftovers.filter((name) => !failedMeshes.has(name))).toEqual([]);
  }

  it("answers 503 while redis-server is killed, and recovers in the same processes once it is restarted", async () => {
    await outage(
      "crash",
      () => redis.kill(),
      () => redis.restart(),
      { startReplicaDuringOutage: true },
    );
  });

  it("answers 503 within the command timeout while redis-server is frozen, and recovers once it resumes", async () => {
    await outage(
      "freeze",
      () => redis.pause(),
      () => redis.resume(),
    );
  });
});

/**
 * Every acknowledged write is stored (as acknowledged, or as overwritten by a
 * later write of the same client that failed but may have been applied);
 * every failed write is stored whole or not at all.
 */
function checkDurability(
  records: readonly LoadRecord[],
  mesh: string,
  keyspace: Awaited<ReturnType<typeof scanKeyspace>>,
): string[] {
  const problems: string[] = [];
  const byTarget = new Map<string, LoadRecord[]>();
  for (const record of records) {
    if (record.kind === "read") continue;
    byTarget.set(record.target, [...(byTarget.get(record.target) ?? []), record]);
  }
  for (const [target, writes] of byTarget) {
    const isMesh = writes[0]!.kind === "mesh";
    const stored = isMesh
      ? keyspace.meshes.get(target)
      : keyspace.resources.get(resourceId(mesh, "TrafficTrace", target.slice(mesh.length + 1)));
    const lastAck = writes
      .map((w, i) => ({ w, i }))
      .filter(({ w }) => w.outcome.startsWith("2"))
      .pop();
    const failedSince = writes
      .slice(lastAck ? lastAck.i + 1 : 0)
      .filter((w) => !w.outcome.startsWith("2"));
    if (!stored) {
      if (lastAck) problems.push(`${target}: acknowledged (${lastAck.w.version}) but missing`);
      continue;
    }
    if (isMesh) {
      if (!lastAck && failedSince.length === 0)
        problems.push(`${target}: stored but never written`);
      continue;
    }
    const marker = markerOf(stored.resource);
    const allowed = [...(lastAck ? [lastAck.w.marker] : []), ...failedSince.map((w) => w.marker)];
    if (!allowed.includes(marker))
      problems.push(`${target}: holds ${marker}, expected one of ${allowed.join(", ")}`);
    if (lastAck && BigInt(stored.version) < BigInt(lastAck.w.version ?? "0")) {
      problems.push(
        `${target}: version ${stored.version} is older than the acknowledged ${lastAck.w.version}`,
      );
    }
    if (lastAck && stored.version === lastAck.w.version && marker !== lastAck.w.marker) {
      problems.push(
        `${target}: version ${stored.version} holds ${marker}, acknowledged as ${lastAck.w.marker}`,
      );
    }
  }
  return problems;
}
