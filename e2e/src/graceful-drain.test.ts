/**
 * SIGTERM under load: the replica stops accepting connections, reports
 * /ready 503, lets every request it has begun finish with a full response
 * (slow uploads included), closes connections only between requests, and
 * exits 0. Its peer on the same Redis sees every write it acknowledged.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msSince, reportFigures, sleep, Tally } from "./support/figures.js";
import { apiClient, etag, httpRequest, keepAliveAgent, outcomeOf } from "./support/http.js";
import { scanKeyspace } from "./support/keyspace.js";
import { startKumaCp, stopAll, type KumaCp } from "./support/kuma-cp.js";
import { openRawConnection } from "./support/raw-http.js";
import { startRedisBackend, uniquePrefix, type RedisBackend } from "./support/redis-backends.js";
import { COLLECTION, markerOf, meshBody, trafficTraceBody } from "./support/resources.js";

const SLOW_UPLOADS = 24;
const LOAD_WORKERS = 6;

describe("a replica drained with SIGTERM while it serves traffic", () => {
  let backend: RedisBackend;
  let prefix: string;
  let drained: KumaCp;
  let peer: KumaCp;

  beforeAll(async () => {
    backend = await startRedisBackend("standalone");
    prefix = uniquePrefix("drain");
    [drained, peer] = await Promise.all([
      startKumaCp({ name: "drained", env: backend.env(prefix) }),
      startKumaCp({ name: "peer", env: backend.env(prefix) }),
    ]);
  });

  afterAll(async () => {
    await stopAll([drained, peer]);
    await backend?.stop();
  });

  it("finishes every in-flight request with a full response, resets no connection, and exits 0", async () => {
    const mesh = "drain";
    const peerApi = apiClient(peer.apiUrl);
    expect((await peerApi.put(`/meshes/${mesh}`, meshBody(mesh))).status).toBe(201);

    // Slow uploads: the headers and half of each body are sent before the SIGTERM, the rest after.
    const uploads = await Promise.all(
      Array.from({ length: SLOW_UPLOADS }, async (_, i) => {
        const name = `slow-${i}`;
        const body = JSON.stringify(trafficTraceBody(mesh, name, name));
        const connection = await openRawConnection(drained.apiUrl);
        const half = Math.floor(body.length / 2);
        await connection.write(
          `PUT /meshes/${mesh}/${COLLECTION.TrafficTrace}/${name} HTTP/1.1\r\nHost: kuma\r\n` +
            `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
        );
        return { name, connection, rest: body.slice(half) };
      }),
    );

    // Keep-alive clients writing and reading as fast as the replica answers.
    let running = true;
    let termAt = Number.POSITIVE_INFINITY;
    const before = new Tally();
    const after = new Tally();
    const acknowledged: { name: string; version: string }[] = [];
    const workers = Array.from({ length: LOAD_WORKERS }, async (_, w) => {
      const api = apiClient(drained.apiUrl, keepAliveAgent());
      for (let n = 0; running; n++) {
        const name = `ka-${w}-${n}`;
        const sentAt = performance.now();
        const result = await outcomeOf(
          api.put(
            `/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`,
            trafficTraceBody(mesh, name, name),
          ),
        );
        (sentAt < termAt ? before : after).add(
          result.outcome + (result.reusedSocket ? "(reused)" : ""),
        );
        if (result.response?.status === 201)
          acknowledged.push({ name, version: etag(result.response) ?? "" });
        // Refused: the listener is closed; a load balancer would now send this client to the peer.
        if (result.outcome === "ECONNREFUSED") await sleep(20);
      }
    });

    await sleep(500);
    termAt = performance.now();
    drained.kill("SIGTERM");
    await sleep(300);
    const readyWhileDraining = await outcomeOf(httpRequest(`${drained.diagnosticsUrl}/ready`));
    const healthyWhileDraining = await outcomeOf(httpRequest(`${drained.diagnosticsUrl}/healthy`));

    // The uploads finish slowly, in three parts.
    for (let part = 0; part < 3; part++) {
      await Promise.all(
        uploads.map(({ connection, rest }) => {
          const size = Math.ceil(rest.length / 3);
          return connection.write(rest.slice(part * size, (part + 1) * size));
        }),
      );
      await sleep(150);
    }
    const responses = await Promise.all(
      uploads.map(({ connection }) => connection.response(15_000)),
    );
    const closes = await Promise.all(uploads.map(({ connection }) => connection.closed));
    const exit = await drained.exited;
    const exitMs = msSince(termAt);
    running = false;
    await Promise.all(workers);

    const resets =
      before.total((o) => !/^\d+$/.test(o)) +
      after.total((o) => !/^\d+$/.test(o) && o !== "ECONNREFUSED");
    reportFigures("graceful drain", {
      "slow uploads in flight at SIGTERM": SLOW_UPLOADS,
      "completed with 201": responses.filter((r) => r.status === 201).length,
      "closed with Connection: close": responses.filter((r) => r.headers.connection === "close")
        .length,
      "keep-alive requests before SIGTERM": `${before.total()} (${before})`,
      "after SIGTERM": `${after.total()} (${after})`,
      "resets or cut responses": resets,
      "/ready while draining": readyWhileDraining.outcome,
      "/healthy while draining": healthyWhileDraining.outcome,
      "exit code": String(exit.code),
      "ms from SIGTERM to exit": exitMs,
    });

    expect(responses.map((r) => r.status)).toEqual(uploads.map(() => 201));
    expect(responses.map((r) => r.headers.connection)).toEqual(uploads.map(() => "close"));
    expect(closes.filter((c) => c.error !== undefined)).toEqual([]);
    expect(before.except(["201"])).toEqual({});
    expect(after.except(["201", "ECONNREFUSED"])).toEqual({});
    expect(readyWhileDraining.outcome).toBe("503");
    expect(healthyWhileDraining.outcome).toBe("200");
    expect(exit).toEqual({ code: 0, signal: null });

    // Everything the drained replica acknowledged is there, as the peer and the keyspace show.
    for (const { name } of uploads) {
      const seen = await peerApi.get(`/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`);
      expect(seen.status).toBe(200);
    }
    const keyspace = await scanKeyspace(backend.nodes, prefix);
    expect(keyspace.violations).toEqual([]);
    for (const { name, version } of acknowledged) {
      const stored = keyspace.resources.get(`${mesh}/TrafficTrace/${name}`);
      expect(stored?.version).toBe(version);
      expect(markerOf(stored?.resource)).toBe(name);
    }
  });
});
