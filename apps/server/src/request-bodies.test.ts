import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { openRaw, responseCount } from "./test-support/raw-connection.js";
import { storeBackends } from "./test-support/store-backends.js";

const LIMIT = 1000;
const TOO_LARGE = { title: "Could not process a resource", details: "Request Entity Too Large" };
const meshBody = (name: string, size = 0) => {
  const json = JSON.stringify({ type: "Mesh", name });
  return json.slice(0, -1) + " ".repeat(Math.max(0, size - json.length)) + "}";
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const GET_INDEX = "GET / HTTP/1.1\r\nHost: test\r\n\r\n";

describe.each(storeBackends())("request bodies ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend, { env: { KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES: String(LIMIT) } });
  });
  afterEach(() => api.close());

  it("accepts a body of exactly the limit", async () => {
    const body = meshBody("exact", LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    expect((await api.put("/meshes/exact", body)).status).toBe(201);
  });

  it("refuses a body one byte over the limit with 413", async () => {
    const answer = await api.put("/meshes/over", meshBody("over", LIMIT + 1));
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual(TOO_LARGE);
  });

  it("refuses by Content-Length before the body is sent, and keeps the connection usable", async () => {
    const connection = await openRaw(api.url);
    try {
      await connection.write(
        `PUT /meshes/big HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${LIMIT * 50}\r\n\r\n`,
      );
      const first = await connection.waitFor(/HTTP\/1\.1 413[\s\S]*\r\n\r\n\{[^}]*\}/);
      expect(first).toContain('"details":"Request Entity Too Large"');
      // The client goes on sending the body it announced; then asks again on the same connection.
      for (let i = 0; i < 50; i++) await connection.write("x".repeat(LIMIT));
      await connection.write(GET_INDEX);
      const all = await connection.waitFor(/HTTP\/1\.1 200[\s\S]*"tagline":"Kuma"/);
      expect(responseCount(all)).toBe(2);
      expect(connection.closed()).toBe(false);
    } finally {
      connection.end();
    }
  });

  it("stops reading a chunked body as soon as it passes the limit, without dropping the connection", async () => {
    const connection = await openRaw(api.url);
    try {
      await connection.write(
        "PUT /meshes/big HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      const chunk = `${(LIMIT / 2).toString(16)}\r\n${"x".repeat(LIMIT / 2)}\r\n`;
      await connection.write('1\r\n{\r\n');
      for (let i = 0; i < 3; i++) await connection.write(chunk);
      await connection.waitFor(/HTTP\/1\.1 413/);
      // Keep sending well past the limit, then finish the body and reuse the connection.
      for (let i = 0; i < 40; i++) await connection.write(chunk);
      await connection.write("0\r\n\r\n");
      await connection.write(GET_INDEX);
      const all = await connection.waitFor(/HTTP\/1\.1 200[\s\S]*"tagline":"Kuma"/);
      expect(responseCount(all)).toBe(2);
    } finally {
      connection.end();
    }
  });

  it("answers a fetch that sends a large body with 413 instead of a dropped connection", async () => {
    const body = "x".repeat(4 * 1024 * 1024);
    const answer = await api.put("/meshes/huge", body);
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual(TOO_LARGE);
    expect((await api.get("/")).status).toBe(200);
  });

  it("waits for Expect: 100-continue bodies, and refuses an oversized one without asking for it", async () => {
    const body = meshBody("expecting");
    const connection = await openRaw(api.url);
    try {
      await connection.write(
        `PUT /meshes/expecting HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      await connection.waitFor(/HTTP\/1\.1 100 Continue\r\n\r\n/);
      await connection.write(body);
      await connection.waitFor(/HTTP\/1\.1 201/);
    } finally {
      connection.end();
    }
    const refused = await openRaw(api.url);
    try {
      await refused.write(
        `PUT /meshes/big HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`,
      );
      const received = await refused.waitFor(/HTTP\/1\.1 413/);
      expect(received).not.toContain("100 Continue");
    } finally {
      refused.end();
    }
  });

  it("reads a body that arrives slowly", async () => {
    const body = meshBody("slow");
    const connection = await openRaw(api.url);
    try {
      await connection.write(
        `PUT /meshes/slow HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      );
      for (const piece of body.match(/.{1,5}/g)!) {
        await connection.write(piece);
        await sleep(20);
      }
      await connection.waitFor(/HTTP\/1\.1 201/);
    } finally {
      connection.end();
    }
  });

  it("answers a request Node cannot parse with a JSON 400", async () => {
    const connection = await openRaw(api.url);
    try {
      await connection.write("GARBAGE\r\n\r\n");
      const received = await connection.waitFor(/HTTP\/1\.1 400[\s\S]*\}/);
      expect(received).toContain('"details":"Bad Request"');
    } finally {
      connection.end();
    }
  });

  it("answers a million bytes of nesting under the default limit with 400", async () => {
    const roomy = await startApi(backend);
    try {
      for (const body of ["[".repeat(500_000) + "]".repeat(500_000), '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000)]) {
        const answer = await roomy.put("/meshes/m", body);
        expect(answer.status).toBe(400);
        expect(answer.json.title).toBe("Could not process a resource");
      }
    } finally {
      await roomy.close();
    }
  });

  it.each([
    ["deep nesting", '{"networking":'.repeat(50) + "{}" + "}".repeat(50)],
    ["a nested array", "[".repeat(499) + "]".repeat(499)],
    ["a __proto__ key", '{"type":"Mesh","name":"m","__proto__":{"polluted":true}}'],
    ["a __proto__ tag", '{"type":"Mesh","name":"m","mtls":{"__proto__":{}}}'],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]).toString("latin1")],
    ["a byte-order mark", "\ufeff{}"],
    ["NUL characters", '{"type":"Mesh\u0000","name":"m"}'],
    ["a huge number", '{"type":"Mesh","name":"m","metrics":{"prometheus":{"port":1e400}}}'],
    ["a lone surrogate", '{"type":"Mesh","name":"\\ud800"}'],
    ["a constructor key", '{"constructor":{"prototype":{}}}'],
  ])("answers %s with a 400 error body", async (_what, body) => {
    const answer = await api.put("/meshes/m", body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ title: expect.any(String), details: expect.any(String), causes: expect.any(Array) });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
