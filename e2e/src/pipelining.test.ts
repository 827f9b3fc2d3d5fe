/**
 * HTTP/1.1 pipelining against a real `kuma-cp` (memory store, then Redis):
 * 100 mixed PUTs, GETs and DELETEs of one resource written at once on one
 * socket must be answered exactly as the same requests sent one by one, and
 * leave the same stored state — the requests of one connection take effect
 * in their order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportFigures, Tally } from "./support/figures.js";
import { apiClient, type ApiClient } from "./support/http.js";
import { startKumaCp, type KumaCp } from "./support/kuma-cp.js";
import { openRawConnection, type RawResponse } from "./support/raw-http.js";
import { startRedisBackend, uniquePrefix, type RedisBackend } from "./support/redis-backends.js";
import { COLLECTION, markerOf, trafficTraceBody } from "./support/resources.js";

const REQUESTS = 100;
const MESH = "default";

type Method = "PUT" | "GET" | "DELETE";

/** Every pair of methods follows one another somewhere: a GET and a DELETE right after a PUT, a PUT after a DELETE, ... */
const PATTERN: readonly Method[] = [
  "PUT",
  "GET",
  "DELETE",
  "GET",
  "PUT",
  "PUT",
  "GET",
  "DELETE",
  "DELETE",
  "PUT",
  "DELETE",
];
const METHODS: readonly Method[] = Array.from(
  { length: REQUESTS },
  (_, i) => PATTERN[i % PATTERN.length] as Method,
);

const pathOf = (name: string): string => `/meshes/${MESH}/${COLLECTION.TrafficTrace}/${name}`;
const bodyOf = (name: string, i: number): string =>
  JSON.stringify(trafficTraceBody(MESH, name, `write-${i}`));

/** The i-th request on resource `name`, as raw HTTP/1.1. */
function requestText(name: string, i: number): string {
  const method = METHODS[i] as Method;
  const head = `${method} ${pathOf(name)} HTTP/1.1\r\nHost: e2e\r\nAccept: application/json\r\n`;
  if (method !== "PUT") return `${head}\r\n`;
  const body = bodyOf(name, i);
  return `${head}Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** What must be equal between two answers on different names: status and body without name and times. */
function comparable(status: number, body: string): string {
  if (status !== 200 || body === "{}") return `${status} ${body}`;
  const { name: _name, creationTime: _c, modificationTime: _m, ...rest } = JSON.parse(body);
  return `${status} ${JSON.stringify(rest)}`;
}

/** The ETags of GET answers must be those of the PUT before them in the same sequence. */
function etagsFollowPuts(
  answers: readonly { status: number; etag: string | undefined }[],
): string[] {
  const problems: string[] = [];
  let lastPut: string | undefined;
  answers.forEach((answer, i) => {
    if (METHODS[i] === "PUT") lastPut = answer.etag;
    if (METHODS[i] === "GET" && answer.status === 200 && answer.etag !== lastPut)
      problems.push(`request ${i}: GET has ETag ${answer.etag}, the PUT before it ${lastPut}`);
  });
  return problems;
}

describe.each(["memory", "redis"] as const)("pipelined requests on a %s store", (store) => {
  let redis: RedisBackend | undefined;
  let replica: KumaCp;
  let api: ApiClient;

  beforeAll(async () => {
    redis = store === "redis" ? await startRedisBackend("standalone") : undefined;
    replica = await startKumaCp({
      name: `pipelining-${store}`,
      env: redis ? redis.env(uniquePrefix("pipelining")) : { KUMA_STORE_TYPE: "memory" },
    });
    api = apiClient(replica.apiUrl);
  }, 120_000);

  afterAll(async () => {
    const status = await replica?.stop();
    await redis?.stop();
    expect(status?.code).toBe(0);
  }, 60_000);

  it(`answers ${REQUESTS} mixed requests written at once on one socket as if sent one by one`, async () => {
    const connection = await openRawConnection(replica.apiUrl);
    let pipelined: RawResponse[];
    try {
      await connection.write(METHODS.map((_, i) => requestText("piped", i)).join(""));
      pipelined = await connection.responses(REQUESTS, 30_000);
      expect(connection.isClosed()).toBe(false);
    } finally {
      connection.end();
    }

    const oneByOne: { status: number; body: string; etag: string | undefined }[] = [];
    for (const [i, method] of METHODS.entries()) {
      const path = pathOf("sequential");
      const answer =
        method === "PUT"
          ? await api.put(path, JSON.parse(bodyOf("sequential", i)))
          : method === "GET"
            ? await api.get(path)
            : await api.delete(path);
      oneByOne.push({ status: answer.status, body: answer.body, etag: answer.headers.etag });
    }

    const mismatches = pipelined.flatMap((answer, i) => {
      const expected = oneByOne[i]!;
      const [got, want] = [
        comparable(answer.status, answer.body),
        comparable(expected.status, expected.body),
      ];
      return got === want ? [] : [`request ${i} (${METHODS[i]}): ${got} instead of ${want}`];
    });
    const statuses = new Tally();
    for (const answer of pipelined) statuses.add(`${answer.status}`);
    reportFigures(`pipelining (${store})`, {
      requests: REQUESTS,
      answers: statuses.toString(),
      "answers unlike one by one": mismatches.length,
    });
    expect(mismatches).toEqual([]);
    expect(
      etagsFollowPuts(pipelined.map((a) => ({ status: a.status, etag: a.headers["etag"] }))),
    ).toEqual([]);
    expect(etagsFollowPuts(oneByOne)).toEqual([]);

    // The stored state matches too.
    const [piped, sequential] = [
      await api.get(pathOf("piped")),
      await api.get(pathOf("sequential")),
    ];
    expect(comparable(piped.status, piped.body)).toBe(
      comparable(sequential.status, sequential.body),
    );
    const lastPut = METHODS.lastIndexOf("PUT");
    const deletedAfter = METHODS.slice(lastPut).includes("DELETE");
    expect(piped.status).toBe(deletedAfter ? 404 : 200);
    if (!deletedAfter) expect(markerOf(JSON.parse(piped.body))).toBe(`write-${lastPut}`);
  }, 120_000);
});
