/**
 * Hostile clients against a replica on a password-protected Redis:
 * oversized bodies (declared and chunked), clients that trickle their
 * headers or body, a flood of idle connections, and a look for the
 * password everywhere the replica shows something.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msSince, quantile, reportFigures, sleep } from "./support/figures.js";
import { apiClient, httpRequest, json } from "./support/http.js";
import { startKumaCp, stopAll, type KumaCp } from "./support/kuma-cp.js";
import { openRawConnection, type RawConnection } from "./support/raw-http.js";
import { uniquePrefix } from "./support/redis-backends.js";

const PASSWORD = `e2e-${randomBytes(12).toString("hex")}`;
const BODY_LIMIT = 64 * 1024;
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
const MAX_CONNECTIONS = 1000;
/** The flooded replica's headers timeout: long enough to open the whole flood and count it before it is reaped. */
const FLOOD_HEADERS_TIMEOUT_MS = 3000;
/** How much later than its timeout a slow client may be cut off on a busy machine. */
const CUT_OFF_SLACK_MS = 1500;
const MiB = 1024 * 1024;

describe("a replica under abuse", () => {
  let redis: RedisServer;
  let viaUrl: KumaCp;
  let viaVariable: KumaCp;

  beforeAll(async () => {
    redis = await startRedisServer({ args: ["--requirepass", PASSWORD] });
    const common = {
      KUMA_STORE_TYPE: "redis",
      KUMA_STORE_REDIS_KEY_PREFIX: uniquePrefix("abuse"),
      KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES: String(BODY_LIMIT),
      KUMA_API_SERVER_HEADERS_TIMEOUT: `${HEADERS_TIMEOUT_MS}ms`,
      KUMA_API_SERVER_REQUEST_TIMEOUT: `${REQUEST_TIMEOUT_MS}ms`,
      KUMA_API_SERVER_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      KUMA_API_SERVER_DRAIN_TIMEOUT: "3s",
    };
    [viaUrl, viaVariable] = await Promise.all([
      // The password inside KUMA_STORE_REDIS_URL ...
      startKumaCp({
        name: "password-in-url",
        env: { ...common, KUMA_STORE_REDIS_URL: `redis://:${PASSWORD}@127.0.0.1:${redis.port}/0` },
      }),
      // ... and in its own variable, with a user name in the URL.
      startKumaCp({
        name: "password-variable",
        env: {
          ...common,
          KUMA_STORE_REDIS_URL: `redis://default@127.0.0.1:${redis.port}/0`,
          KUMA_STORE_REDIS_PASSWORD: PASSWORD,
          KUMA_API_SERVER_HEADERS_TIMEOUT: `${FLOOD_HEADERS_TIMEOUT_MS}ms`,
          KUMA_API_SERVER_REQUEST_TIMEOUT: `${FLOOD_HEADERS_TIMEOUT_MS + 1000}ms`,
        },
      }),
    ]);
  });

  afterAll(async () => {
    await stopAll([viaUrl, viaVariable]);
    await redis?.stop();
  });

  it("never shows the Redis password: not in /config, /, /metrics, error bodies or logs", async () => {
    const places: Record<string, string> = {};
    const shownUrls: string[] = [];
    for (const replica of [viaUrl, viaVariable]) {
      // Ready means it authenticated: the password was used.
      expect((await httpRequest(`${replica.diagnosticsUrl}/ready`)).status).toBe(200);
      const config = await httpRequest(`${replica.apiUrl}/config`);
      expect(config.status).toBe(200);
      const redisConfig = json<{ store: { redis: { url: string; password: string } } }>(config)
        .store.redis;
      expect(redisConfig.password).toBe("*****");
      shownUrls.push(redisConfig.url);
      places[`${replica.name} /config`] = config.body;
      places[`${replica.name} /`] = (await httpRequest(`${replica.apiUrl}/`)).body;
      places[`${replica.name} /metrics`] = (
        await httpRequest(`${replica.diagnosticsUrl}/metrics`)
      ).body;
      places[`${replica.name} 404`] = (await httpRequest(`${replica.apiUrl}/no-such-path`)).body;
      places[`${replica.name} 400`] = (
        await apiClient(replica.apiUrl).put("/meshes/x", { type: "Mesh", name: "y" })
      ).body;
    }
    // The password part of the URL is masked; a URL without one is shown as it is.
    expect(shownUrls).toEqual([
      `redis://:*****@127.0.0.1:${redis.port}/0`,
      `redis://default@127.0.0.1:${redis.port}/0`,
    ]);
    // Stopping logs the shutdown too; look at everything each process wrote.
    const leaks = Object.entries(places)
      .concat([viaUrl, viaVariable].map((replica) => [`${replica.name} output`, replica.output()]))
      .filter(([, text]) => text.includes(PASSWORD))
      .map(([place]) => place);
    reportFigures("secrets", {
      replicas: 2,
      "places searched": Object.keys(places).length + 2,
      "places showing the password": leaks.length,
    });
    expect(leaks).toEqual([]);
  });

  it("answers 413 to a body declared over the limit before reading it, and to a chunked body once it passes the limit", async () => {
    const before = viaUrl.memory();
    const chunk = Buffer.alloc(64 * 1024, "a");

    // Declared: 16 GiB announced; we keep sending until the answer arrives (or 64 MiB went out).
    const declared = await openRawConnection(viaUrl.apiUrl);
    await declared.write(
      `PUT /meshes/big HTTP/1.1\r\nHost: kuma\r\nContent-Type: application/json\r\nContent-Length: ${16 * 1024 * MiB}\r\n\r\n`,
    );
    const declaredResult = await sendUntilAnswered(declared, chunk, 64 * MiB);
    // After its answer the replica reads and discards the rest (so that the connection could serve
    // another request), but only until apiServer.requestTimeout: count what it takes meanwhile.
    const drainStarted = performance.now();
    const beforeDrain = declared.bytesWritten();
    while (
      !declared.isClosed() &&
      !/HTTP\/1\.1 408 /.test(declared.received().toString("latin1")) &&
      declared.bytesWritten() < 4 * 1024 * MiB &&
      performance.now() - drainStarted < REQUEST_TIMEOUT_MS + CUT_OFF_SLACK_MS
    ) {
      await declared.write(chunk).catch(() => undefined);
    }
    const discarded = declared.bytesWritten() - beforeDrain;
    const cutOffAfterAnswer = /HTTP\/1\.1 408 /.test(declared.received().toString("latin1"));
    const discardMs = msSince(drainStarted);

    // Chunked: no length; the server can only count.
    const chunked = await openRawConnection(viaUrl.apiUrl);
    await chunked.write(
      "PUT /meshes/big HTTP/1.1\r\nHost: kuma\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    const framed = Buffer.concat([
      Buffer.from(`${chunk.length.toString(16)}\r\n`),
      chunk,
      Buffer.from("\r\n"),
    ]);
    const chunkedResult = await sendUntilAnswered(chunked, framed, 64 * MiB);
    const after = viaUrl.memory();
    declared.destroy();
    chunked.destroy();

    reportFigures("oversized bodies", {
      "bytes limit": BODY_LIMIT,
      "status for a body declared as 16 GiB": declaredResult.status,
      "bytes of that body sent before the answer": declaredResult.bytesBeforeAnswer,
      "MiB more taken and discarded after the answer": Math.round(discarded / MiB),
      "ms until the replica stopped reading": discardMs,
      "(408 at requestTimeout)": cutOffAfterAnswer ? "then cut off" : "never cut off",
      "status for a chunked body": chunkedResult.status,
      "bytes of the chunked body sent before the answer": chunkedResult.bytesBeforeAnswer,
      "MiB peak RSS growth": Math.round(((after.peak - before.peak) / MiB) * 10) / 10,
      "MiB RSS before": Math.round(before.rss / MiB),
      "MiB RSS after": Math.round(after.rss / MiB),
    });
    for (const result of [declaredResult, chunkedResult]) {
      expect(result.status).toBe(413);
      expect(JSON.parse(result.body)).toEqual({
        title: "Could not process a resource",
        details: "Request Entity Too Large",
      });
    }
    // The declared body was refused on its headers: what went out before the answer is only what
    // the kernel's socket buffers took, a far cry from the 16 GiB announced.
    expect(declaredResult.bytesBeforeAnswer).toBeLessThan(32 * MiB);
    // The chunked one once it passed the limit: the limit plus what was in the buffers.
    expect(chunkedResult.bytesBeforeAnswer).toBeGreaterThan(BODY_LIMIT);
    expect(chunkedResult.bytesBeforeAnswer).toBeLessThan(32 * MiB);
    // ... and it stopped reading the rest at apiServer.requestTimeout.
    expect(cutOffAfterAnswer).toBe(true);
    // Nothing was buffered whole: hundreds of MiB went in, the replica's peak memory grew by far less.
    expect(after.peak - before.peak).toBeLessThan(64 * MiB);
    // And it still answers.
    expect((await httpRequest(`${viaUrl.apiUrl}/meshes`)).status).toBe(200);
  });

  it("cuts off clients that trickle their headers or their body, and keeps serving others meanwhile", async () => {
    const slowHeaders = await Promise.all(
      Array.from({ length: 40 }, () => openRawConnection(viaUrl.apiUrl)),
    );
    const slowBodies = await Promise.all(
      Array.from({ length: 10 }, () => openRawConnection(viaUrl.apiUrl)),
    );
    const started = performance.now();
    const headerText = `GET /meshes HTTP/1.1\r\nHost: kuma\r\nX-Slow: ${"s".repeat(500)}\r\n\r\n`;
    const body = JSON.stringify({ type: "Mesh", name: "slow", padding: "p".repeat(500) });
    await Promise.all(
      slowBodies.map((connection) =>
        connection.write(
          `PUT /meshes/slow HTTP/1.1\r\nHost: kuma\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        ),
      ),
    );
    const trickling = (async () => {
      for (
        let i = 0;
        performance.now() - started < REQUEST_TIMEOUT_MS + CUT_OFF_SLACK_MS + 1000;
        i++
      ) {
        await Promise.all([
          ...slowHeaders.map((c) =>
            c.isClosed()
              ? undefined
              : c.write(headerText[i % headerText.length]!).catch(() => undefined),
          ),
          ...slowBodies.map((c) =>
            c.isClosed() ? undefined : c.write(body[i % body.length]!).catch(() => undefined),
          ),
        ]);
        if ([...slowHeaders, ...slowBodies].every((c) => c.isClosed())) return;
        await sleep(100);
      }
    })();
    // A well-behaved client meanwhile.
    const latencies: number[] = [];
    const statuses = new Set<number>();
    while (
      [...slowHeaders, ...slowBodies].some((c) => !c.isClosed()) &&
      performance.now() - started < 10_000
    ) {
      const response = await httpRequest(`${viaUrl.apiUrl}/meshes`);
      statuses.add(response.status);
      latencies.push(response.ms);
      await sleep(100);
    }
    await trickling;
    const headerCuts = await Promise.all(
      slowHeaders.map((c) => c.closed.then((close) => close.at - started)),
    );
    const bodyCuts = await Promise.all(
      slowBodies.map((c) => c.closed.then((close) => close.at - started)),
    );
    const answers = [...slowHeaders, ...slowBodies].map(
      (c) => /^HTTP\/1\.1 (\d{3})/.exec(c.received().toString("latin1"))?.[1],
    );
    reportFigures("slow clients", {
      "header tricklers": slowHeaders.length,
      "ms to cut off (max)": Math.round(Math.max(...headerCuts)),
      "ms headersTimeout": HEADERS_TIMEOUT_MS,
      "body tricklers": slowBodies.length,
      "ms to cut off the body tricklers (max)": Math.round(Math.max(...bodyCuts)),
      "ms requestTimeout": REQUEST_TIMEOUT_MS,
      answers: [...new Set(answers)].join("/"),
      "other client's requests": latencies.length,
      "ms other client's p99 latency": Math.round(quantile(latencies, 0.99)),
    });
    expect(Math.max(...headerCuts)).toBeLessThanOrEqual(HEADERS_TIMEOUT_MS + CUT_OFF_SLACK_MS);
    expect(Math.min(...headerCuts)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(Math.max(...bodyCuts)).toBeLessThanOrEqual(REQUEST_TIMEOUT_MS + CUT_OFF_SLACK_MS);
    expect(answers).toEqual(answers.map(() => "408"));
    expect([...statuses]).toEqual([200]);
  });

  it("holds at most maxConnections of a flood of 2,000 idle connections, with bounded memory, and keeps serving", async () => {
    // A load balancer's kept-alive connection, open before the flood.
    const pool = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await httpRequest(`${viaVariable.apiUrl}/`, { agent: pool })).status).toBe(200);
    const before = viaVariable.memory();
    const started = performance.now();
    const flood: RawConnection[] = [];
    let refused = 0;
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.allSettled(
        Array.from({ length: 200 }, () => openRawConnection(viaVariable.apiUrl)),
      );
      for (const result of opened) {
        if (result.status === "fulfilled") flood.push(result.value);
        else refused++;
      }
    }
    const floodMs = msSince(started);
    await sleep(300);
    const held = flood.filter((c) => !c.isClosed()).length;
    const during = viaVariable.memory();
    // The kept-alive connection and the diagnostics port still answer.
    const servedDuring: number[] = [];
    for (let i = 0; i < 20; i++) {
      const response = await httpRequest(`${viaVariable.apiUrl}/meshes`, { agent: pool });
      expect(response.status).toBe(200);
      servedDuring.push(response.ms);
    }
    const healthy = await httpRequest(`${viaVariable.diagnosticsUrl}/healthy`);
    // Idle connections are cut off by the headers timeout; then new clients get in again.
    const cutOff = await Promise.all(flood.map((c) => c.closed));
    const reapedMs = Math.max(...cutOff.map((close) => close.at - started));
    const fresh = await httpRequest(`${viaVariable.apiUrl}/meshes`);
    const after = viaVariable.memory();
    reportFigures("connection flood", {
      "connections opened": flood.length + refused,
      "held by the replica": held,
      maxConnections: MAX_CONNECTIONS,
      "ms to open them": floodMs,
      "closed at once": flood.length - held,
      "refused at connect": refused,
      "MiB RSS before": Math.round(before.rss / MiB),
      "MiB RSS during": Math.round(during.rss / MiB),
      "MiB peak RSS growth": Math.round(((after.peak - before.peak) / MiB) * 10) / 10,
      "kept-alive requests served during the flood": servedDuring.length,
      "ms their p99 latency": Math.round(quantile(servedDuring, 0.99)),
      "/healthy": healthy.status,
      "ms until every idle connection was closed": Math.round(reapedMs),
      "ms headersTimeout": FLOOD_HEADERS_TIMEOUT_MS,
      "new client afterwards": fresh.status,
      "ms test": msSince(started),
    });
    // maxConnections counts the kept-alive connection too.
    expect(held).toBeLessThanOrEqual(MAX_CONNECTIONS);
    expect(held).toBeGreaterThanOrEqual(MAX_CONNECTIONS - 10);
    expect(after.peak - before.peak).toBeLessThan(100 * MiB);
    expect(healthy.status).toBe(200);
    expect(reapedMs).toBeLessThanOrEqual(FLOOD_HEADERS_TIMEOUT_MS + CUT_OFF_SLACK_MS + 2000);
    expect(fresh.status).toBe(200);
    pool.destroy();
  });
});

/** Writes `chunk` repeatedly until a response arrives, the connection closes, or `maxBytes` went out. */
async function sendUntilAnswered(
  connection: RawConnection,
  chunk: Buffer,
  maxBytes: number,
): Promise<{ status: number; body: string; bytesBeforeAnswer: number }> {
  let answered: { status: number; body: string } | undefined;
  let bytesBeforeAnswer = 0;
  const response = connection.response(30_000).then((r) => {
    answered = r;
    bytesBeforeAnswer = sent;
  });
  response.catch(() => undefined);
  let sent = 0;
  while (!answered && !connection.isClosed() && sent < maxBytes) {
    try {
      await connection.write(chunk);
      sent += chunk.length;
    } catch {
      break;
    }
  }
  await response;
  return { status: answered?.status ?? 0, body: answered?.body ?? "", bytesBeforeAnswer };
}
