import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { rawRequest } from "./test-support/auth.js";
import { memoryBackend } from "./test-support/store-backends.js";

/** `/global-secrets/admin-user-token` answers 200 to the admin only: a probe of who the caller is. */
const ADMIN_PROBE = "/global-secrets/admin-user-token";

describe("localhost is admin only when every condition holds", () => {
  let api: TestApi;
  let host: string;
  const probe = async (headers: Record<string, string>): Promise<number> =>
    (await rawRequest(api.url, "GET", ADMIN_PROBE, { Host: host, ...headers })).status;
  beforeAll(async () => {
    api = await startApi(memoryBackend());
    host = new URL(api.url).host;
  });
  afterAll(() => api.close());

  it("makes a direct loopback request with a loopback Host the admin", async () => {
    expect(await probe({})).toBe(200);
    expect(await probe({ Host: `localhost:${new URL(api.url).port}` })).toBe(200);
    expect(await probe({ Host: "127.0.0.2" })).toBe(200);
    expect(await probe({ Host: "[::1]:5681" })).toBe(200);
  });

  it.each([
    ["X-Forwarded-For", "10.0.0.1"],
    ["X-Forwarded-For", ""],
    ["Forwarded", "for=10.0.0.1"],
    ["X-Real-IP", "10.0.0.1"],
  ])("treats a request with %s as proxied, so anonymous", async (name, value) => {
    expect(await probe({ [name]: value })).toBe(403);
  });

  it.each(["example.com", "kuma.internal:5681", "10.0.0.1", "localhost.evil.com", "127.0.0.1.nip.io", "[::2]"])(
    "treats Host %s as not loopback",
    async (value) => {
      expect(await probe({ Host: value })).toBe(403);
    },
  );

  it("treats a request without Host as not loopback", async () => {
    const answer = await rawRequestHttp10(api.url);
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
  });

  it.each([
    ["none", 200],
    ["same-origin", 200],
    ["same-site", 403],
    ["cross-site", 403],
  ])("with Sec-Fetch-Site %s answers %i", async (value, status) => {
    expect(await probe({ "Sec-Fetch-Site": value })).toBe(status);
  });

  it("accepts only an http(s) Origin on loopback with the same host:port as Host", async () => {
    const port = new URL(api.url).port;
    expect(await probe({ Origin: `http://${host}` })).toBe(200);
    expect(await probe({ Origin: `https://${host}` })).toBe(200);
    expect(await probe({ Origin: "http://evil.example" })).toBe(403);
    expect(await probe({ Origin: "null" })).toBe(403);
    expect(await probe({ Origin: `http://127.0.0.1:${Number(port) + 1}` })).toBe(403);
    expect(await probe({ Origin: `http://localhost:${port}` })).toBe(403); // Host says 127.0.0.1
    expect(await probe({ Host: `localhost:${port}`, Origin: `http://localhost:${port}` })).toBe(200);
    expect(await probe({ Origin: `file://${host}` })).toBe(403);
  });

  it("is off with apiServer.authn.localhostIsAdmin=false", async () => {
    const strict = await startApi(memoryBackend(), { env: { KUMA_API_SERVER_AUTHN_LOCALHOST_IS_ADMIN: "false" } });
    try {
      expect((await rawRequest(strict.url, "GET", ADMIN_PROBE, {})).status).toBe(403);
      // The default rules still let anyone use the 0.4 API.
      expect((await rawRequest(strict.url, "GET", "/config", {})).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe("the GUI's proxy", () => {
  it("marks requests as forwarded, so a browser on the machine is never the admin, and passes tokens and 403s through", async () => {
    const port = await freePort();
    const api = await startApi(memoryBackend(), { env: { KUMA_GUI_SERVER_PORT: String(port) } });
    try {
      const gui = api.server.guiUrl!;
      const viaGui = await fetch(`${gui}/api${ADMIN_PROBE}`);
      expect(viaGui.status).toBe(403);
      expect(viaGui.headers.get("cache-control")).toBe("no-store");
      const token = Buffer.from((await api.get(ADMIN_PROBE)).json.data, "base64").toString();
      expect((await fetch(`${gui}/api${ADMIN_PROBE}`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
      const bad = await fetch(`${gui}/api/meshes`, { headers: { Authorization: "Bearer garbage" } });
      expect(bad.status).toBe(401);
      expect(bad.headers.get("www-authenticate")).toBe('Bearer realm="kuma"');
    } finally {
      await api.close();
    }
  });
});

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** An HTTP/1.0 request without Host (fetch and http.request always send one). */
async function rawRequestHttp10(url: string): Promise<string> {
  const { openRaw } = await import("./test-support/raw-connection.js");
  const connection = await openRaw(url);
  try {
    await connection.write(`GET ${ADMIN_PROBE} HTTP/1.0\r\n\r\n`);
    return await connection.waitFor(/\r\n\r\n[\s\S]*\}/);
  } finally {
    connection.end();
  }
}
