import { hostname } from "node:os";
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { meshScopedTypes } from "@kuma-ts/model";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const packageVersion = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string })
  .version;

const COLLECTIONS = meshScopedTypes.map((type) => type.path);

describe.each(storeBackends())("the API's routes ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
  });
  afterEach(() => api.close());

  it("answers the index with the tagline kumactl checks", async () => {
    const answer = await api.get("/");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json(;\s*charset=utf-8)?$/);
    expect(answer.json).toEqual({
      tagline: "Kuma",
      version: packageVersion,
      hostname: hostname(),
      instanceId: expect.any(String),
    });
    expect(Object.keys(answer.json)).toEqual(["tagline", "version", "hostname", "instanceId"]);
  });

  it("answers the catalog from the configuration", async () => {
    const answer = await api.get("/catalog");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      apis: {
        bootstrap: { url: "http://localhost:5682" },
        dataplaneToken: { localUrl: "http://localhost:5679", publicUrl: "" },
        admin: { localUrl: "http://localhost:5679", publicUrl: "" },
        monitoringAssignment: { url: "grpc://localhost:5676" },
        openapi: { url: `${api.url}/openapi.json` },
      },
    });
  });

  it("answers GET on every collection of a mesh with a list", async () => {
    for (const collection of [...COLLECTIONS, "dataplanes+insights"]) {
      const answer = await api.get(`/meshes/default/${collection}`);
      expect(answer.status, collection).toBe(200);
      expect(answer.json, collection).toEqual({ total: 0, items: [], next: null });
    }
    const meshes = await api.get("/meshes");
    expect(meshes.json).toMatchObject({ total: 1, next: null });
  });

  it("answers an empty list for a mesh that does not exist", async () => {
    const answer = await api.get("/meshes/nowhere/traffic-routes");
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ total: 0, items: [], next: null });
  });

  it("ignores a trailing slash", async () => {
    expect((await api.get("/meshes/")).json).toMatchObject({ total: 1 });
    expect((await api.get("/meshes/default/")).json).toMatchObject({ type: "Mesh", name: "default" });
    expect((await api.get("/meshes/default/dataplanes/")).status).toBe(200);
  });

  it("answers HEAD like GET without a body", async () => {
    const response = await fetch(`${api.url}/meshes/default`, { method: "HEAD" });
    expect(response.status).toBe(200);
    expect(response.headers.get("etag")).toMatch(/^".+"$/);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.text()).toBe("");
  });

  it("answers an unknown path with the JSON 404", async () => {
    for (const path of ["/nothing", "/meshes/default/secrets", "/meshes/default/dataplanes/dp/extra", "/MESHES/default/xyz"]) {
      const answer = await api.get(path);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual({ title: "Not found", details: "no such API path" });
    }
  });

  it("names the path probably meant when an unknown one is a typo of a known one", async () => {
    const cases = [
      ["/meshes/default/trafficpermissions", "/meshes/default/traffic-permissions"],
      ["/meshes/default/dataplane+insights", "/meshes/default/dataplanes+insights"],
      ["/meshes/default/trafficpermissions/tp-1", "/meshes/default/traffic-permissions/tp-1"],
      ["/mesh/default", "/meshes/default"],
      ["/catalogs", "/catalog"],
    ];
    for (const [path, meant] of cases) {
      const answer = await api.get(path!);
      expect(answer.status, path).toBe(404);
      expect(answer.json, path).toEqual({ title: "Not found", details: `no such API path, did you mean ${meant}?` });
    }
  });

  it("answers a known path with another method 405 and the allowed methods", async () => {
    const cases: [string, string, string][] = [
      ["POST", "/meshes", "GET, HEAD, OPTIONS"],
      ["PUT", "/meshes", "GET, HEAD, OPTIONS"],
      ["DELETE", "/meshes/default/dataplanes", "GET, HEAD, OPTIONS"],
      ["POST", "/meshes/default", "GET, HEAD, PUT, DELETE, OPTIONS"],
      ["PATCH", "/meshes/default/traffic-routes/x", "GET, HEAD, PUT, DELETE, OPTIONS"],
      ["PUT", "/meshes/default/dataplanes+insights/x", "GET, HEAD, OPTIONS"],
      ["DELETE", "/", "GET, HEAD, OPTIONS"],
      ["PUT", "/config", "GET, HEAD, OPTIONS"],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await api.request(method, path, { headers: { "Content-Type": "application/json" }, body: method === "DELETE" ? undefined : "{}" });
      expect(answer.status, `${method} ${path}`).toBe(405);
      expect(answer.headers.get("allow"), `${method} ${path}`).toBe(allow);
      expect(answer.json).toEqual({ title: "Method not allowed", details: `${method} is not supported on this path` });
    }
  });

  it("answers a plain OPTIONS with 204 and Allow", async () => {
    const answer = await api.request("OPTIONS", "/meshes/default/health-checks/hc");
    expect(answer.status).toBe(204);
    expect(answer.headers.get("allow")).toBe("GET, HEAD, PUT, DELETE, OPTIONS");
    expect((await api.request("OPTIONS", "/nothing")).status).toBe(404);
  });

  it("accepts any Accept that admits JSON and answers 406 to one that does not", async () => {
    for (const accept of ["application/json", "*/*", "application/*", "text/html, application/json;q=0.5", "application/json; charset=utf-8", ""]) {
      expect((await api.get("/meshes/default", { Accept: accept })).status, accept).toBe(200);
    }
    for (const accept of ["text/html", "application/xml", "application/json;q=0", "text/*"]) {
      const answer = await api.get("/meshes/default", { Accept: accept });
      expect(answer.status, accept).toBe(406);
      expect(answer.json).toEqual({ title: "Not acceptable", details: "the API produces application/json" });
    }
  });

  it("tells the request id back, taking a sane one from the client", async () => {
    const generated = await api.get("/");
    expect(generated.headers.get("x-request-id")).toMatch(/^[0-9a-f]{8}-[0-9a-z]+$/);
    const given = await api.get("/", { "X-Request-Id": "abc-123" });
    expect(given.headers.get("x-request-id")).toBe("abc-123");
  });
});
