import { createClient, NetworkError } from "@kuma-ts/client";
import { MeshType } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import https from "node:https";
import { createNodeFetch, nodeFetch } from "./node-fetch.js";
import {
  startControlPlane,
  type TestControlPlane,
  startScriptedServer,
  unusedUrl,
  type ScriptedAnswer,
  type ScriptedServer,
} from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor } from "./test-support/kumactl.js";

let server: ScriptedServer;
let controlPlane: TestControlPlane;

beforeAll(async () => {
  server = await startScriptedServer((request): ScriptedAnswer => {
    if (request.url === "/moved")
      return { status: 302, body: "", headers: { Location: "/target" } };
    if (request.url === "/slow") return { hang: true };
    return {
      status: 201,
      body: `${request.method} ${request.url} ${request.body}`,
      headers: { ETag: '"5"' },
    };
  });
  controlPlane = await startControlPlane();
});
afterAll(async () => {
  await server.close();
  await controlPlane.close();
});

describe("nodeFetch", () => {
  it("sends the method, headers and body, and reads status, headers and text", async () => {
    const response = await nodeFetch(`${server.url}/x?y=1`, {
      method: "PUT",
      headers: { "Content-Type": "application/json", "X-Test": "1" },
      body: "{}",
    });
    expect(response.status).toBe(201);
    expect(response.statusText).toBe("Created");
    expect(response.headers.get("etag")).toBe('"5"');
    expect(response.headers.get("missing")).toBeNull();
    expect(await response.text()).toBe("PUT /x?y=1 {}");
    expect(server.requests.at(-1)?.headers).toMatchObject({
      "content-type": "application/json",
      "x-test": "1",
    });
  });

  it("follows redirects of a GET", async () => {
    const response = await nodeFetch(`${server.url}/moved`);
    expect(await response.text()).toBe("GET /target ");
  });

  it("rejects with the signal's reason when aborted, and with the socket error when refused", async () => {
    await expect(
      nodeFetch(`${server.url}/slow`, { signal: AbortSignal.timeout(50) }),
    ).rejects.toMatchObject({
      name: "TimeoutError",
    });
    const dead = await unusedUrl();
    await expect(nodeFetch(dead)).rejects.toThrow(
      `connect ECONNREFUSED 127.0.0.1:${new URL(dead).port}`,
    );
  });

  it("serves the client: resources, errors and network failures read the same as with global fetch", async () => {
    const client = createClient({ baseUrl: controlPlane.url, fetch: nodeFetch });
    expect((await client.resources(MeshType).list()).items.map((m) => m.name)).toEqual(["default"]);
    await expect(client.resources(MeshType).get({ name: "nope" })).rejects.toMatchObject({
      status: 404,
      details: "Not found",
    });
    const dead = await unusedUrl();
    const failure = await createClient({ baseUrl: dead, fetch: nodeFetch })
      .index()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NetworkError);
    expect(failure).toMatchObject({
      reason: `connect ECONNREFUSED 127.0.0.1:${new URL(dead).port}`,
    });
    const slow = await createClient({
      baseUrl: `${server.url}/slow`,
      fetch: nodeFetch,
      timeoutMs: 50,
    })
      .index()
      .catch((error: unknown) => error);
    expect(slow).toMatchObject({ timedOut: true });
  });

  it("streams a body as it comes (a watch), and ends it on abort", async () => {
    const controller = new AbortController();
    const response = await nodeFetch(`${controlPlane.url}/meshes?watch=true`, {
      signal: controller.signal,
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("event: synced")) text += (await reader.read()).value ?? "";
    expect(text).toMatch(/^retry: 1000\n/);
    controller.abort();
    await expect(reader.read()).rejects.toBeDefined();
  });

  it("serves the client's watches", async () => {
    const controller = new AbortController();
    const client = createClient({ baseUrl: controlPlane.url, fetch: nodeFetch });
    const kinds: string[] = [];
    for await (const event of client.resources(MeshType).watch({ signal: controller.signal })) {
      kinds.push(event.kind === "snapshot" ? `${event.kind} ${event.name}` : event.kind);
      if (event.kind === "synced") controller.abort();
    }
    expect(kinds).toEqual(["snapshot default", "synced"]);
  });

  it("rejects text() with the signal's reason when aborted after the headers", async () => {
    const controller = new AbortController();
    const response = await nodeFetch(`${controlPlane.url}/meshes?watch=true`, {
      signal: controller.signal,
    });
    const text = response.text();
    controller.abort(new DOMException("enough", "TimeoutError"));
    await expect(text).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("runs kumactl end to end", async () => {
    const scratch = await scratchDir();
    try {
      const configPath = await writeConfigFor(scratch.dir, controlPlane.url);
      expect(await kumactl(["get", "meshes"], { configPath, fetch: nodeFetch })).toEqual({
        stdout: "NAME      mTLS   CA        METRICS\ndefault   off    builtin   off\n",
        stderr: "",
        code: 0,
      });
    } finally {
      await scratch.cleanup();
    }
  });
});

describe("createNodeFetch with TLS settings", () => {
  const tls = (name: string) =>
    readFileSync(new URL(`./test-support/tls/${name}`, import.meta.url));
  it("trusts the given CA, presents a client certificate, and refuses an unknown CA unless told to skip verification", async () => {
    const server = https.createServer(
      {
        cert: tls("server.crt"),
        key: tls("server.key"),
        ca: tls("ca.crt"),
        requestCert: true,
        rejectUnauthorized: true,
      },
      (_req, res) => res.end("hello"),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `https://127.0.0.1:${(server.address() as { port: number }).port}/`;
    try {
      const withClientCert = createNodeFetch({
        ca: tls("ca.crt"),
        cert: tls("client.crt"),
        key: tls("client.key"),
      });
      expect(await (await withClientCert(url)).text()).toBe("hello");
      await expect(
        createNodeFetch({ cert: tls("client.crt"), key: tls("client.key") })(url),
      ).rejects.toThrow();
      expect(
        (
          await createNodeFetch({
            skipVerify: true,
            cert: tls("client.crt"),
            key: tls("client.key"),
          })(url)
        ).status,
      ).toBe(200);
      await expect(createNodeFetch({ ca: tls("ca.crt") })(url)).rejects.toThrow(); // no client certificate
    } finally {
      server.close();
    }
  });
});
