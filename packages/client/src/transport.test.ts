import { DataplaneType, MeshType, TrafficRouteType } from "@kuma-ts/model";
import { afterEach, describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { ApiError, InvalidResponseError, NetworkError } from "./errors.js";
import {
  startScriptedServer,
  unusedUrl,
  type RecordedRequest,
  type ScriptedAnswer,
  type ScriptedServer,
} from "@kuma-ts/test-servers";
import { failure } from "./test-support/failure.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(
  answer: (request: RecordedRequest) => ScriptedAnswer,
): Promise<ScriptedServer> {
  server = await startScriptedServer(answer);
  return server;
}

const json = (status: number, body: unknown, headers?: Record<string, string>): ScriptedAnswer => ({
  status,
  body: JSON.stringify(body),
  headers,
});

describe("the response handler", () => {
  it("turns a Kuma error body into an ApiError with status, title, details and causes", async () => {
    const { url } = await serve(() =>
      json(400, {
        title: "Could not create a resource",
        details: "Resource is not valid",
        causes: [
          {
            field: "networking",
            message: "has to contain at least one inbound interface or gateway",
          },
        ],
      }),
    );
    const error = await failure(
      createClient({ baseUrl: url })
        .resources(DataplaneType)
        .put({ type: "Dataplane", mesh: "default", name: "dp" }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: "API_ERROR",
      status: 400,
      title: "Could not create a resource",
      details: "Resource is not valid",
      causes: [
        {
          field: "networking",
          message: "has to contain at least one inbound interface or gateway",
        },
      ],
      isKumaError: true,
      method: "PUT",
      url: `${url}/meshes/default/dataplanes/dp`,
      message: "Could not create a resource (Resource is not valid)",
    });
  });

  it("keeps the raw text of an error body that is not a Kuma error", async () => {
    const { url } = await serve(() => ({
      status: 502,
      body: "<html>Bad gateway</html>",
      headers: { "Content-Type": "text/html" },
    }));
    const error = await failure(createClient({ baseUrl: url }).resources(MeshType).list());
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 502,
      title: "",
      details: "",
      causes: [],
      isKumaError: false,
      body: "<html>Bad gateway</html>",
      message: "(502): <html>Bad gateway</html>",
    });
  });

  it("treats a JSON error body without title and details as raw text", async () => {
    const { url } = await serve(() => json(500, { message: "boom" }));
    const error = await failure(createClient({ baseUrl: url }).index());
    expect(error).toMatchObject({
      status: 500,
      isKumaError: false,
      message: '(500): {"message":"boom"}',
    });
  });

  it("reports a refused connection as a NetworkError that keeps the transport's reason", async () => {
    const url = await unusedUrl();
    const error = await failure(createClient({ baseUrl: url }).resources(MeshType).list());
    expect(error).toBeInstanceOf(NetworkError);
    const { port } = new URL(url);
    expect(error).toMatchObject({
      code: "NETWORK_ERROR",
      timedOut: false,
      reason: `connect ECONNREFUSED 127.0.0.1:${port}`,
      message: `GET ${url}/meshes: connect ECONNREFUSED 127.0.0.1:${port}`,
    });
  });

  it("reports a server that does not answer in time as a NetworkError with timedOut", async () => {
    const { url } = await serve(() => ({ hang: true }));
    const error = await failure(
      createClient({ baseUrl: url, timeoutMs: 50 }).resources(MeshType).list(),
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({
      timedOut: true,
      message: `GET ${url}/meshes: timed out after 50 ms`,
    });
  });

  it("rejects a success body that is not JSON", async () => {
    const { url } = await serve(() => ({ status: 200, body: "hello" }));
    const error = await failure(createClient({ baseUrl: url }).config());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).causes[0]?.message).toMatch(/^the body is not JSON: /);
  });

  it("rejects a resource that does not fit its schema, with the JSON path of the problem", async () => {
    const { url } = await serve(() =>
      json(200, {
        total: 1,
        items: [{ type: "Mesh", name: "m", mtls: { enabled: "yes" }, colour: "blue" }],
        next: null,
      }),
    );
    const error = await failure(createClient({ baseUrl: url }).resources(MeshType).list());
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      code: "INVALID_RESPONSE",
      status: 200,
      causes: [
        { field: "items[0].mtls.enabled", message: "must be a boolean" },
        { field: "items[0].colour", message: "unknown field" },
      ],
    });
  });

  it("rejects a resource of another type than asked for", async () => {
    const { url } = await serve(() => json(200, { type: "Mesh", name: "default" }));
    const error = await failure(
      createClient({ baseUrl: url })
        .resources(TrafficRouteType)
        .get({ mesh: "default", name: "default" }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({
      causes: [
        { field: "type", message: 'must be "TrafficRoute"' },
        { field: "mesh", message: "cannot be empty" },
      ],
    });
  });

  it("rejects a list envelope without items", async () => {
    const { url } = await serve(() => json(200, { total: "2", next: 5 }));
    const error = await failure(createClient({ baseUrl: url }).resources(MeshType).list());
    expect(error).toMatchObject({
      causes: [
        { field: "items", message: "must be an array" },
        { field: "total", message: "must be a non-negative integer" },
        { field: "next", message: "must be a string or null" },
      ],
    });
  });

  it("refuses a base URL that is not a URL", () => {
    expect(() => createClient({ baseUrl: "not a url" })).toThrow(TypeError);
  });
});

describe("requests", () => {
  it("sends the configured headers, Accept and the preconditions of a PUT", async () => {
    const { url, requests } = await serve(() => json(201, {}, { ETag: '"7"' }));
    const client = createClient({ baseUrl: `${url}/`, headers: { Authorization: "Bearer t" } });
    const result = await client
      .resources(MeshType)
      .put({ type: "Mesh", name: "m 1" }, { ifMatch: "6", createOnly: true });
    expect(result).toEqual({ created: true, version: "7" });
    expect(requests[0]).toMatchObject({
      method: "PUT",
      url: "/meshes/m%201",
      body: '{"type":"Mesh","name":"m 1"}',
      headers: {
        authorization: "Bearer t",
        accept: "application/json",
        "content-type": "application/json",
        "if-match": '"6"',
        "if-none-match": "*",
      },
    });
  });

  it("reports an update (200) as not created", async () => {
    const { url } = await serve(() => json(200, {}, { ETag: '"8"' }));
    const result = await createClient({ baseUrl: url })
      .resources(DataplaneType)
      .put({ type: "Dataplane", mesh: "default", name: "dp", networking: { address: "10.0.0.1" } });
    expect(result).toEqual({ created: false, version: "8" });
  });

  it("sends If-Match on a conditional delete and accepts an empty success body", async () => {
    const { url, requests } = await serve(() => ({ status: 200, body: "" }));
    await createClient({ baseUrl: url })
      .resources(MeshType)
      .delete({ name: "m" }, { ifMatch: '"3"' });
    expect(requests[0]).toMatchObject({
      method: "DELETE",
      url: "/meshes/m",
      headers: { "if-match": '"3"' },
    });
  });

  it("returns a resource with the version of its ETag", async () => {
    const { url } = await serve(() => json(200, { type: "Mesh", name: "m" }, { ETag: 'W/"12"' }));
    const found = await createClient({ baseUrl: url })
      .resources(MeshType)
      .getWithVersion({ name: "m" });
    expect(found).toEqual({ resource: { type: "Mesh", name: "m" }, version: "12" });
  });

  it("asks the overviews with one tag parameter per tag", async () => {
    const { url, requests } = await serve(() => json(200, { total: 0, items: [], next: null }));
    const page = await createClient({ baseUrl: url }).dataplaneOverviews({
      mesh: "default",
      tags: { service: "web", version: "v 1" },
      size: 10,
    });
    expect(page).toEqual({ total: 0, items: [], next: null, nextOffset: undefined });
    expect(requests[0]?.url).toBe(
      "/meshes/default/dataplanes+insights?tag=service%3Aweb&tag=version%3Av+1&size=10",
    );
  });

  it("gets the index from the base URL exactly as given", async () => {
    const { url, requests } = await serve(() => json(200, { tagline: "Kuma", version: "1.0.0" }));
    expect(await createClient({ baseUrl: `${url}/prefix` }).index()).toEqual({
      tagline: "Kuma",
      version: "1.0.0",
    });
    expect(requests[0]?.url).toBe("/prefix");
  });

  it("walks every page with the offset token of `next`", async () => {
    const names = ["a", "b", "c", "d", "e"];
    const { url, requests } = await serve((request) => {
      const query = new URL(request.url, "http://x").searchParams;
      const start = Number(query.get("offset") ?? "0");
      const size = Number(query.get("size"));
      const items = names.slice(start, start + size).map((name) => ({ type: "Mesh", name }));
      const end = start + size;
      const next = end < names.length ? `http://elsewhere/meshes?size=${size}&offset=${end}` : null;
      return json(200, { total: names.length, items, next });
    });
    const meshes = createClient({ baseUrl: url }).resources(MeshType);
    const first = await meshes.list({ size: 2 });
    expect(first).toMatchObject({
      total: 5,
      nextOffset: "2",
      next: "http://elsewhere/meshes?size=2&offset=2",
    });
    const seen: string[] = [];
    for await (const mesh of meshes.listAll({ size: 2 })) seen.push(mesh.name);
    expect(seen).toEqual(names);
    expect(requests.slice(1).map((r) => r.url)).toEqual([
      "/meshes?size=2",
      "/meshes?size=2&offset=2",
      "/meshes?size=2&offset=4",
    ]);
  });
});

describe("the default fetch", () => {
  it("is the global fetch, called as a plain function (a browser's fetch refuses any other receiver)", async () => {
    const { url } = await serve(() => json(200, { tagline: "Kuma", version: "1" }));
    const original = globalThis.fetch;
    const receivers: unknown[] = [];
    globalThis.fetch = function (this: unknown, ...args: Parameters<typeof fetch>) {
      receivers.push(this);
      return original(...args);
    } as typeof fetch;
    try {
      expect((await createClient({ baseUrl: url }).index()).tagline).toBe("Kuma");
    } finally {
      globalThis.fetch = original;
    }
    expect(receivers).toHaveLength(1);
    expect([undefined, globalThis]).toContain(receivers[0]);
  });
});

describe("list pages", () => {
  it("carry the Kuma-Resume-Token of the moment they were read", async () => {
    const { url } = await serve(() =>
      json(200, { total: 0, items: [], next: null }, { "Kuma-Resume-Token": "7-abc" }),
    );
    const page = await createClient({ baseUrl: url }).resources(MeshType).list();
    expect(page.resumeToken).toBe("7-abc");
  });

  it("have no resume token when the server sends none", async () => {
    const { url } = await serve(() => json(200, { total: 0, items: [], next: null }));
    const page = await createClient({ baseUrl: url })
      .resources(DataplaneType)
      .list({ mesh: "default" });
    expect(page.resumeToken).toBeUndefined();
  });
});

describe("conditional reads", () => {
  it("send the known version as a quoted If-None-Match and take a 304 as unchanged", async () => {
    const { url, requests } = await serve(() => ({ status: 304, body: "" }));
    const kuma = createClient({ baseUrl: url });
    expect(
      await kuma.resources(TrafficRouteType).getIfChanged({ mesh: "m", name: "r" }, "4"),
    ).toBeUndefined();
    expect(await kuma.dataplaneOverviewIfChanged({ mesh: "m", name: "d" }, '"4-2"')).toBeUndefined();
    expect(requests.map((r) => [r.url, r.headers["if-none-match"]])).toEqual([
      ["/meshes/m/traffic-routes/r", '"4"'],
      ["/meshes/m/dataplanes+insights/d", '"4-2"'],
    ]);
  });
});
