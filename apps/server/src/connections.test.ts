import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { openRaw, parseResponses, type RawConnection } from "./test-support/raw-connection.js";
import { storeBackends } from "./test-support/store-backends.js";

const PATH = "/meshes/default/traffic-traces/x";
const trace = (marker: string) =>
  JSON.stringify({
    type: "TrafficTrace",
    mesh: "default",
    name: "x",
    selectors: [{ match: { service: "web", marker } }],
    conf: { backend: "zipkin" },
  });
const markerOf = (body: string): unknown => JSON.parse(body).selectors[0].match.marker;

/** The request text of a PUT of the trace with `marker`, a GET or a DELETE of it. */
const requestText = (method: "PUT" | "GET" | "DELETE", marker = ""): string =>
  method === "PUT"
    ? `PUT ${PATH} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${trace(marker).length}\r\n\r\n${trace(marker)}`
    : `${method} ${PATH} HTTP/1.1\r\nHost: test\r\n\r\n`;

/** Waits until `count` complete responses arrived on `connection`. */
async function responsesOf(connection: RawConnection, count: number) {
  for (let waited = 0; parseResponses(connection.received()).length < count; waited += 10) {
    if (waited > 10_000 || connection.closed()) throw new Error(`${parseResponses(connection.received()).length} of ${count} responses`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return parseResponses(connection.received());
}

describe.each(storeBackends())("the requests of one connection ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
  });
  afterEach(() => api.close());

  it("take effect in the order they were pipelined: a GET never overtakes its PUT, nor a DELETE", async () => {
    const cycle = ["PUT", "GET", "DELETE", "GET", "DELETE", "PUT", "PUT", "GET"] as const;
    const methods = Array.from({ length: 100 }, (_, i) => cycle[i % cycle.length]!);
    // What the answers must be when the requests are served one by one.
    let stored: { marker: string } | undefined;
    const expected = methods.map((method, i) => {
      if (method === "PUT") {
        const status = stored ? 200 : 201;
        stored = { marker: `m${i}` };
        return { status, marker: undefined };
      }
      if (method === "GET") return stored ? { status: 200, marker: stored.marker } : { status: 404, marker: undefined };
      const status = stored ? 200 : 404;
      stored = undefined;
      return { status, marker: undefined };
    });
    const connection = await openRaw(api.url);
    try {
      await connection.write(methods.map((method, i) => requestText(method, `m${i}`)).join(""));
      const responses = await responsesOf(connection, methods.length);
      expect(responses.map((r) => r.status)).toEqual(expected.map((e) => e.status));
      let lastPutTag: string | undefined;
      responses.forEach((response, i) => {
        if (methods[i] === "PUT") lastPutTag = response.headers.etag;
        if (methods[i] === "GET" && response.status === 200) {
          expect(markerOf(response.body), `request ${i}`).toBe(expected[i]!.marker);
          expect(response.headers.etag, `request ${i}`).toBe(lastPutTag);
        }
      });
      expect(connection.closed()).toBe(false);
    } finally {
      connection.end();
    }
    const final = await api.get(PATH);
    if (stored) {
      expect(final.status).toBe(200);
      expect(markerOf(final.text)).toBe(stored.marker);
    } else {
      expect(final.status).toBe(404);
    }
  });

  it("starts a pipelined request only once the response before it has finished", async () => {
    const connection = await openRaw(api.url);
    try {
      // The PUT's body arrives late: the GET behind it must wait for the PUT, not answer 404.
      const body = trace("late");
      await connection.write(
        `PUT ${PATH} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      await connection.write(body + requestText("GET"));
      const [put, get] = await responsesOf(connection, 2);
      expect(put!.status).toBe(201);
      expect(get!.status).toBe(200);
      expect(markerOf(get!.body)).toBe("late");
    } finally {
      connection.end();
    }
  });

  it("answers an HTTP/1.1 request without Host with a JSON 400 and closes the connection", async () => {
    const connection = await openRaw(api.url);
    try {
      await connection.write("GET /meshes HTTP/1.1\r\n\r\n");
      const [response] = await responsesOf(connection, 1);
      expect(response!.status).toBe(400);
      expect(response!.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(JSON.parse(response!.body)).toEqual({ title: "Could not process the request", details: "Bad Request" });
      await expect.poll(() => connection.closed()).toBe(true);
    } finally {
      connection.end();
    }
    // HTTP/1.0 has no Host requirement.
    const old = await openRaw(api.url);
    try {
      await old.write("GET / HTTP/1.0\r\n\r\n");
      const [response] = await responsesOf(old, 1);
      expect(response!.status).toBe(200);
      expect(JSON.parse(response!.body).tagline).toBe("Kuma");
    } finally {
      old.end();
    }
  });

  it("answers an Expect it does not support with a JSON 417, and still serves 100-continue", async () => {
    const connection = await openRaw(api.url);
    try {
      await connection.write("GET /meshes HTTP/1.1\r\nHost: test\r\nExpect: something-else\r\n\r\n");
      const [refused] = await responsesOf(connection, 1);
      expect(refused!.status).toBe(417);
      expect(refused!.headers["content-type"]).toBe("application/json; charset=utf-8");
      expect(JSON.parse(refused!.body)).toEqual({ title: "Could not process the request", details: "Expectation Failed" });
      // The connection stays usable, and 100-continue works on it as ever.
      const body = trace("continued");
      await connection.write(
        `PUT ${PATH} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      await connection.waitFor(/HTTP\/1\.1 100 Continue\r\n\r\n/);
      await connection.write(body);
      const [, , created] = await responsesOf(connection, 3);
      expect(created!.status).toBe(201);
    } finally {
      connection.end();
    }
  });
});
