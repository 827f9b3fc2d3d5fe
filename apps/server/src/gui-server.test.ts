/**
 * The GUI server of gui.md §2 over HTTP, without a browser: the routes, the
 * headers, the proxy to a real API (and to a recording stand-in where the
 * test must see what the API received), a stopped API.
 */
import http, { type IncomingHttpHeaders } from "node:http";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuiServer, SECURITY_HEADERS } from "./gui-server/gui-server.js";
import { apiPathOf } from "./gui-server/api-proxy.js";
import { startServer } from "./server/start-server.js";
import { readAnswer, startApi, testConfig, type TestApi } from "./test-support/api.js";
import { memoryBackend } from "./test-support/store-backends.js";

const INDEX_HTML =
  '<!doctype html><html><head><script type="module" src="/assets/index-Ab3dE7fG.js"></script></head></html>';
const SCRIPT = `console.log(${JSON.stringify("x".repeat(4000))});`;
const CSP =
  "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'";

let staticDir: string;
let api: TestApi;
let gui: { url: string; close(): Promise<void> };

async function listening(server: http.Server): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const startGui = (apiUrl: string) =>
  listening(createGuiServer({ apiUrl, staticDir, environment: "universal" }));

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(tmpdir(), "kuma-gui-"));
  await mkdir(path.join(staticDir, "assets"));
  await writeFile(path.join(staticDir, "index.html"), INDEX_HTML);
  await writeFile(path.join(staticDir, "assets", "index-Ab3dE7fG.js"), SCRIPT);
  await writeFile(path.join(staticDir, "favicon.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  api = await startApi(memoryBackend());
  gui = await startGui(api.url);
});
afterAll(async () => {
  await gui?.close();
  await api?.close();
  await rm(staticDir, { recursive: true, force: true });
});

const get = async (pathname: string, headers: Record<string, string> = {}) =>
  readAnswer(await fetch(gui.url + pathname, { headers }));

describe("the GUI's own routes", () => {
  it.each(["/", "/meshes/x", "/meshes/default/dataplanes?tag=service:web", "/nope"])(
    "answers %s with index.html, not cached",
    async (pathname) => {
      const answer = await get(pathname);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe(INDEX_HTML);
      expect(answer.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(answer.headers.get("cache-control")).toBe("no-cache");
    },
  );

  it("sends the security headers, the CSP first among them, on every response that is not the API's", async () => {
    for (const pathname of ["/", "/config", "/assets/index-Ab3dE7fG.js", "/assets/missing.js"]) {
      const answer = await get(pathname);
      expect(answer.headers.get("content-security-policy"), pathname).toBe(CSP);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(answer.headers.get(name), `${pathname} ${name}`).toBe(value);
      }
    }
  });

  it("answers /config with exactly apiUrl and environment, as Kuma 0.4's GUI expects", async () => {
    const answer = await get("/config");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(answer.text).toBe('{"apiUrl":"/api","environment":"universal"}');
  });

  it("refuses other methods than GET and HEAD with 405 and Allow", async () => {
    for (const pathname of ["/config", "/", "/meshes/x", "/assets/index-Ab3dE7fG.js"]) {
      const answer = readAnswer(await fetch(gui.url + pathname, { method: "POST", body: "{}" }));
      expect((await answer).status, pathname).toBe(405);
      expect((await answer).headers.get("allow")).toBe("GET, HEAD");
      expect((await answer).json).toEqual({
        title: "Method not allowed",
        details: "POST is not supported on this path",
      });
    }
  });

  it("answers HEAD like GET without a body", async () => {
    const response = await fetch(`${gui.url}/meshes/x`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe(String(INDEX_HTML.length));
    expect(await response.text()).toBe("");
  });

  it("serves hashed assets with a year of immutable caching, gzipped when the browser takes it", async () => {
    const plain = await get("/assets/index-Ab3dE7fG.js", { "Accept-Encoding": "identity" });
    expect(plain.status).toBe(200);
    expect(plain.text).toBe(SCRIPT);
    expect(plain.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(plain.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");

    const raw = await new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        http
          .get(
            `${gui.url}/assets/index-Ab3dE7fG.js`,
            { headers: { "Accept-Encoding": "gzip" } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on("data", (chunk: Buffer) => chunks.push(chunk));
              res.on("end", () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
            },
          )
          .on("error", reject);
      },
    );
    expect(raw.headers["content-encoding"]).toBe("gzip");
    expect(raw.body.length).toBeLessThan(SCRIPT.length);
    expect(gunzipSync(raw.body).toString()).toBe(SCRIPT);
  });

  it("answers a missing asset with a real 404, never index.html", async () => {
    for (const pathname of [
      "/assets/x.js",
      "/assets/index-Ab3dE7fG.css",
      "/assets/%2e%2e%2findex.html",
      "/assets/sub/x.js",
    ]) {
      const answer = await get(pathname);
      expect(answer.status, pathname).toBe(404);
      expect(answer.text, pathname).not.toContain("<html");
    }
  });

  it("revalidates index.html with its ETag", async () => {
    const first = await get("/");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^".+"$/);
    const again = await fetch(`${gui.url}/meshes`, { headers: { "If-None-Match": etag } });
    expect(again.status).toBe(304);
  });

  it("serves the favicon", async () => {
    const answer = await fetch(`${gui.url}/favicon.png`);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/png");
  });
});

describe("the proxy to the API", () => {
  it("strips /api and keeps the query: /api/meshes reaches the API as /meshes", async () => {
    expect(apiPathOf("/api/meshes?size=1")).toBe("/meshes?size=1");
    expect(apiPathOf("/api")).toBe("/");
    expect(apiPathOf("/api?x=1")).toBe("/?x=1");
    const direct = await api.get("/meshes?size=1");
    const proxied = await get("/api/meshes?size=1");
    expect(proxied.status).toBe(200);
    expect(proxied.json).toEqual({ ...direct.json, next: proxied.json.next });
    expect(proxied.json.items.map((mesh: { name: string }) => mesh.name)).toEqual(["default"]);
    expect((await get("/api/")).json.tagline).toBe("Kuma");
    expect((await get("/api/nope")).json).toEqual({
      title: "Not found",
      details: "no such API path",
    });
  });

  it("passes If-None-Match and the ETag through: a conditional GET answers 304", async () => {
    await api.put("/meshes/conditional", { type: "Mesh", name: "conditional" });
    const first = await get("/api/meshes/conditional");
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"/);
    const again = await fetch(`${gui.url}/api/meshes/conditional`, {
      headers: { "If-None-Match": etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
  });

  it("passes request bodies and the API's statuses through", async () => {
    const put = await fetch(`${gui.url}/api/meshes/proxied`, {
      method: "PUT",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "Mesh", name: "proxied" }),
    });
    expect(put.status).toBe(201);
    expect((await api.get("/meshes/proxied")).status).toBe(200);
  });

  it("answers 502 with a Kuma error body when the API cannot be reached", async () => {
    const gone = await startApi(memoryBackend());
    const orphan = await startGui(gone.url);
    await gone.close();
    try {
      const answer = readAnswer(await fetch(`${orphan.url}/api/meshes`));
      expect((await answer).status).toBe(502);
      expect((await answer).headers.get("content-type")).toBe("application/json; charset=utf-8");
      expect((await answer).json).toEqual({
        title: "API server unreachable",
        details: "Bad Gateway",
      });
    } finally {
      await orphan.close();
    }
  });
});

describe("the proxy, seen from the API", () => {
  const received: { url: string; headers: IncomingHttpHeaders }[] = [];
  let upstream: { url: string; close(): Promise<void> };
  let proxy: { url: string; close(): Promise<void> };
  /** Opened streams, to be ended by the test. */
  const streams: http.ServerResponse[] = [];
  let streamClosed: Promise<void>;
  let onStreamClosed: () => void;

  beforeAll(async () => {
    streamClosed = new Promise((resolve) => (onStreamClosed = resolve));
    upstream = await listening(
      http.createServer((req, res) => {
        received.push({ url: req.url ?? "", headers: req.headers });
        if (req.url?.includes("watch=true")) {
          res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache" });
          res.write("retry: 1000\n\n");
          streams.push(res);
          req.on("close", () => onStreamClosed());
          return;
        }
        res.writeHead(200, {
          "Content-Type": "application/json",
          "Kuma-Resume-Token": "42-x",
          Allow: "GET, HEAD",
          Connection: "close",
        });
        res.end("{}");
      }),
    );
    proxy = await startGui(upstream.url);
  });
  afterAll(async () => {
    await proxy?.close();
    await upstream?.close();
  });

  it("adds X-Forwarded-For and Forwarded naming the browser, and forwards the GUI's headers unchanged", async () => {
    const response = await fetch(`${proxy.url}/api/meshes?size=1`, {
      headers: {
        "If-None-Match": '"3"',
        Authorization: "Bearer t",
        "Last-Event-ID": "7-a",
        Accept: "application/json",
      },
    });
    expect(response.headers.get("kuma-resume-token")).toBe("42-x");
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(response.headers.get("connection")).not.toBe("close"); // hop-by-hop: not forwarded
    const seen = received.at(-1)!;
    expect(seen.url).toBe("/meshes?size=1");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");
    expect(seen.headers["x-forwarded-proto"]).toBe("http");
    expect(seen.headers.forwarded).toBe(
      `for=127.0.0.1;host="${new URL(proxy.url).host}";proto=http`,
    );
    expect(seen.headers["if-none-match"]).toBe('"3"');
    expect(seen.headers.authorization).toBe("Bearer t");
    expect(seen.headers["last-event-id"]).toBe("7-a");
    expect(seen.headers.host).toBe(new URL(upstream.url).host);
  });

  it("appends to a forwarding chain the browser's side already started", async () => {
    await fetch(`${proxy.url}/api/`, { headers: { "X-Forwarded-For": "10.1.1.1" } });
    expect(received.at(-1)!.headers["x-forwarded-for"]).toBe("10.1.1.1, 127.0.0.1");
  });

  it("streams an event stream as it comes, and closes the API's side when the browser leaves", async () => {
    const controller = new AbortController();
    const response = await fetch(`${proxy.url}/api/meshes?watch=true`, {
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream");
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const readUntil = async (text: string) => {
      let seen = "";
      while (!seen.includes(text)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${JSON.stringify(text)}: ${seen}`);
        seen += decoder.decode(value);
      }
    };
    await readUntil("retry: 1000");
    streams[0]!.write('event: updated\ndata: {"name":"m"}\n\n'); // the stream is still open upstream
    await readUntil('data: {"name":"m"}');
    controller.abort();
    await streamClosed;
  });
});

describe("kuma-cp's GUI server", () => {
  it("is off when guiServer.port is 0", async () => {
    const server = await startServer({ config: testConfig() });
    try {
      expect(server.guiUrl).toBeUndefined();
    } finally {
      await server.close();
    }
  });

  it("listens on guiServer.port and proxies to its own API", async () => {
    const port = await freePort();
    const server = await startServer({
      config: testConfig({ KUMA_GUI_SERVER_PORT: String(port) }),
    });
    try {
      expect(server.guiUrl).toBe(`http://127.0.0.1:${port}`);
      const index = await readAnswer(await fetch(`${server.guiUrl}/api/`));
      expect(index.json.tagline).toBe("Kuma");
      const config = await readAnswer(await fetch(`${server.guiUrl}/config`));
      expect(config.json).toEqual({ apiUrl: "/api", environment: "universal" });
    } finally {
      await server.close();
    }
  });
});

/** A port nothing listens on (just freed). */
async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
