import { readFileSync } from "node:fs";
import { createMemoryStore } from "@kuma-ts/store";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiRoutes } from "./app.js";
import { buildOpenApiDocument } from "./openapi/document.js";
import { startApi, testConfig, type TestApi } from "./test-support/api.js";
import { OpenApiContract } from "./test-support/openapi-contract.js";
import { memoryBackend } from "./test-support/store-backends.js";
import { serverVersion } from "./version.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read as plain JSON
type Json = any;

const routes = apiRoutes(testConfig(), createMemoryStore());
const built = buildOpenApiDocument(routes, { version: serverVersion() });
const doc: Json = built.document;

describe("GET /openapi.json", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startApi(memoryBackend());
  });
  afterAll(() => api.close());

  it("documents every method of every route of the table (a route without docs fails here)", () => {
    expect(built.undocumented).toEqual([]);
    for (const route of routes) {
      for (const method of Object.keys(route.handlers)) {
        expect(
          doc.paths[route.template]?.[method.toLowerCase()],
          `${method} ${route.template}`,
        ).toBeDefined();
      }
    }
  });

  it("serves the document built from the route table, as JSON, and to HEAD", async () => {
    const answer = await api.get("/openapi.json");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
    expect(answer.json).toEqual(doc);
    expect(answer.json.openapi).toBe("3.1.0");
    expect(answer.json.info.version).toBe(serverVersion());
    const head = await api.request("HEAD", "/openapi.json");
    expect(head.status).toBe(200);
    expect(head.text).toBe("");
  });

  it("is listed in /catalog", async () => {
    const catalog = await api.get("/catalog");
    const url = catalog.json.apis.openapi.url;
    expect(url).toBe(`${api.url}/openapi.json`);
    expect((await fetch(url)).status).toBe(200);
  });

  it("passes Redocly's recommended-strict lint with no problem", async () => {
    const config = await createConfig({ extends: ["recommended-strict"] });
    const problems = await lintFromString({
      source: JSON.stringify(doc),
      absoluteRef: "openapi.json",
      config,
    });
    expect(
      problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`),
    ).toEqual([]);
  });

  it("leaves a route without docs out, names it, and does not throw", () => {
    const extra = {
      template: "/meshes/{mesh}/widgets",
      handlers: { GET: () => {}, PUT: () => {} },
    };
    const withExtra = buildOpenApiDocument([...routes, extra], { version: "0" });
    expect(withExtra.undocumented).toEqual([
      "GET /meshes/{mesh}/widgets",
      "PUT /meshes/{mesh}/widgets",
    ]);
    expect(withExtra.document.paths).not.toHaveProperty("/meshes/{mesh}/widgets");
  });

  it("covers every route of http-api.md and the inspection endpoints", () => {
    const mesh = [
      "dataplanes",
      "dataplane-insights",
      "health-checks",
      "proxytemplates",
      "traffic-permissions",
      "traffic-logs",
      "traffic-routes",
      "traffic-traces",
    ];
    const expected: Record<string, string[]> = {
      "/": ["get"],
      "/config": ["get"],
      "/catalog": ["get"],
      "/openapi.json": ["get"],
      "/meshes": ["get"],
      "/meshes/{name}": ["get", "put", "delete"],
      "/meshes/{mesh}/dataplanes+insights": ["get"],
      "/meshes/{mesh}/dataplanes+insights/{name}": ["get"],
      "/meshes/{mesh}/dataplanes/{name}/policies": ["get"],
    };
    for (const collection of mesh) {
      expected[`/meshes/{mesh}/${collection}`] = ["get"];
      expected[`/meshes/{mesh}/${collection}/{name}`] = ["get", "put", "delete"];
    }
    for (const policy of mesh.slice(2))
      expected[`/meshes/{mesh}/${policy}/{name}/dataplanes`] = ["get"];
    for (const [path, methods] of Object.entries(expected)) {
      for (const method of [...methods, "head"].filter(
        (m) => m !== "head" || methods.includes("get"),
      )) {
        expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
      }
    }
  });

  it("describes parameters, bodies, status codes and headers", () => {
    const item = doc.paths["/meshes/{mesh}/traffic-routes/{name}"];
    expect(item.get.parameters.map((p: Json) => p.name ?? p.$ref)).toEqual([
      "mesh",
      "name",
      "#/components/parameters/If-None-Match",
    ]);
    expect(item.get.responses["200"].headers.ETag).toEqual({ $ref: "#/components/headers/ETag" });
    expect(Object.keys(item.get.responses)).toEqual([
      "200",
      "304",
      "401",
      "403",
      "404",
      "406",
      "429",
      "500",
      "503",
    ]);
    expect(Object.keys(item.put.responses)).toEqual([
      "200",
      "201",
      "400",
      "401",
      "403",
      "405",
      "406",
      "409",
      "412",
      "413",
      "415",
      "429",
      "500",
      "503",
    ]);
    expect(item.put.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/TrafficRouteInput",
    });
    expect(item.put.parameters.map((p: Json) => p.$ref).filter(Boolean)).toEqual([
      "#/components/parameters/If-Match",
      "#/components/parameters/If-None-Match-Create",
    ]);
    expect(item.delete.responses["412"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/Error",
    });
    const list = doc.paths["/meshes/{mesh}/dataplanes+insights"].get;
    expect(list.parameters.map((p: Json) => p.name ?? p.$ref)).toEqual([
      "mesh",
      "tag",
      "size",
      "offset",
      "watch",
      "since",
      "#/components/parameters/Last-Event-ID",
    ]);
    expect(list.responses["200"].headers["Kuma-Resume-Token"]).toEqual({
      $ref: "#/components/headers/Kuma-Resume-Token",
    });
    expect(Object.keys(list.responses["200"].content)).toEqual([
      "application/json",
      "text/event-stream",
    ]);
    const events = doc.paths["/meshes/{mesh}/events"].get;
    expect(Object.keys(events.responses["200"].content)).toEqual(["text/event-stream"]);
    expect(list.parameters[1]).toMatchObject({
      in: "query",
      schema: { type: "array" },
      explode: true,
    });
    expect(list.responses["200"].content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/DataplaneOverviewList",
    });
    expect(doc.components.schemas.Error).toEqual({
      type: "object",
      required: ["title", "details"],
      properties: {
        title: { type: "string" },
        details: { type: "string" },
        causes: {
          type: "array",
          items: {
            type: "object",
            required: ["field", "message"],
            properties: { field: { type: "string" }, message: { type: "string" } },
          },
        },
      },
    });
    expect(doc.components.schemas.DataplaneOverviewList.properties).toEqual({
      total: { type: "integer", minimum: 0 },
      items: { type: "array", items: { $ref: "#/components/schemas/DataplaneOverview" } },
      next: { anyOf: [{ type: "string" }, { type: "null" }] },
    });
  });

  it("spells out the proto-JSON rules: 64-bit counters as strings, durations, timestamps", () => {
    const schemas = doc.components.schemas;
    const counters =
      schemas.DataplaneInsight.properties.subscriptions.items.properties.status.properties.total
        .properties;
    expect(counters.responsesSent).toMatchObject({
      type: "string",
      format: "uint64",
      pattern: "^(0|[1-9][0-9]*)$",
    });
    const input =
      schemas.DataplaneInsightInput.properties.subscriptions.items.properties.status.properties
        .total.properties;
    expect(input.responsesSent.anyOf).toEqual([
      { type: "string", pattern: "^[0-9]+$" },
      { type: "integer", minimum: 0 },
    ]);
    expect(schemas.Dataplane.properties.creationTime).toMatchObject({
      type: "string",
      format: "date-time",
    });
    const interval =
      schemas.HealthCheck.properties.conf.properties.activeChecks.properties.interval;
    expect(interval.type).toBe("string");
    expect(new RegExp(interval.pattern).test("1.500s")).toBe(true);
    expect(new RegExp(interval.pattern).test("1m")).toBe(false);
    expect(
      schemas.HealthCheckInput.properties.conf.properties.activeChecks.properties.interval.pattern,
    ).toBeUndefined();
    expect(doc.info.description).toContain("64-bit");
  });

  it("the contract test catches an answer that drifted from the document", () => {
    const contract = new OpenApiContract(doc);
    const json = new Headers({ "content-type": "application/json; charset=utf-8" });
    const exchange = (
      method: string,
      path: string,
      status: number,
      body: unknown,
      headers = json,
    ) => ({
      method,
      url: `http://127.0.0.1:5681${path}`,
      status,
      headers,
      text: body === undefined ? "" : JSON.stringify(body),
    });
    const mesh = { type: "Mesh", name: "m1", creationTime: "2026-01-01T00:00:00Z" };
    const etag = new Headers({ "content-type": "application/json", etag: '"1"' });
    expect(contract.check(exchange("GET", "/meshes/m1", 200, mesh, etag))).toEqual([]);
    expect(contract.check(exchange("GET", "/meshes/m1/", 200, mesh, etag))).toEqual([]);
    expect(
      contract.check(exchange("GET", "/meshes", 200, { total: 1, items: [mesh], next: null })),
    ).toEqual([]);
    expect(
      contract.check(
        exchange("GET", "/nope", 404, { title: "Not found", details: "no such API path" }),
      ),
    ).toEqual([]);
    expect(
      contract.check(
        exchange(
          "POST",
          "/meshes",
          405,
          { title: "Method not allowed", details: "x" },
          new Headers({ "content-type": "application/json", allow: "GET, HEAD, OPTIONS" }),
        ),
      ),
    ).toEqual([]);
    // An unknown field, a counter written as a number, a list without `next`, an undocumented status, an undocumented header.
    expect(
      contract.check(exchange("GET", "/meshes/m1", 200, { ...mesh, colour: "red" }, etag))[0],
    ).toMatch(/does not match/);
    const insight = {
      type: "DataplaneInsight",
      mesh: "m1",
      name: "dp",
      subscriptions: [{ status: { total: { responsesSent: 3 } } }],
    };
    expect(
      contract.check(exchange("GET", "/meshes/m1/dataplane-insights/dp", 200, insight, etag))[0],
    ).toMatch(/responsesSent must be string/);
    expect(contract.check(exchange("GET", "/meshes", 200, { total: 0, items: [] }))[0]).toMatch(
      /next/,
    );
    expect(
      contract.check(exchange("GET", "/meshes/m1", 418, { title: "t", details: "d" }))[0],
    ).toMatch(/status 418 is not documented/);
    expect(contract.check(exchange("DELETE", "/meshes/m1", 200, {}, etag))[0]).toMatch(
      /ETag header is not documented/,
    );
    expect(contract.check(exchange("GET", "/nope", 200, {}))[0]).toMatch(/must answer 404/);
  });

  it("still generates the client's committed openapi-typescript types (regenerate them when route docs change)", async () => {
    // packages/client keeps the generated types and proves them compatible with its own; this catches the drift here,
    // where route docs change. The fix: UPDATE_OPENAPI_TYPES=1 pnpm exec vitest run openapi-types (in packages/client).
    const committed = readFileSync(
      new URL("../../../packages/client/src/generated/kuma-api.d.ts", import.meta.url),
      "utf8",
    );
    const generated = astToString(await openapiTS(doc as OpenAPI3, { silent: true }));
    expect(
      committed.slice(committed.indexOf("*/\n\n") + 4),
      "packages/client/src/generated/kuma-api.d.ts is stale: UPDATE_OPENAPI_TYPES=1 pnpm exec vitest run openapi-types in packages/client",
    ).toBe(generated);
  }, 60_000);
});
