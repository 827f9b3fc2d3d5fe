import { readFile } from "node:fs/promises";
import {
  HealthCheckType,
  ProxyTemplateType,
  TrafficRouteType,
  resourceTypeByName,
  type Resource,
} from "@kuma-ts/model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  startControlPlane,
  startScriptedServer,
  type ScriptedServer,
  type TestControlPlane,
} from "@kuma-ts/test-servers";
import { createClient, type KumaClient } from "./client.js";
import { ApiError, InvalidResponseError } from "./errors.js";
import { failure } from "./test-support/failure.js";

const DEMO = new URL("../../../examples/inspection/demo.json", import.meta.url);

describe("inspection against the real control plane", () => {
  let controlPlane: TestControlPlane;
  let client: KumaClient;

  beforeAll(async () => {
    controlPlane = await startControlPlane();
    client = createClient({ baseUrl: controlPlane.url });
    for (const body of JSON.parse(await readFile(DEMO, "utf8")) as Resource[]) {
      await client.resources(resourceTypeByName(body.type)!).put(body as never);
    }
    const routes = client.resources(TrafficRouteType);
    await routes.put({
      type: "TrafficRoute",
      mesh: "demo",
      name: "tr-2",
      sources: [{ match: { service: "web" } }],
      destinations: [{ match: { service: "backend" } }],
      conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
    });
    await client.resources(ProxyTemplateType).put({
      type: "ProxyTemplate",
      mesh: "demo",
      name: "pt-all",
      conf: { imports: ["default-proxy"] },
    });
  });
  afterAll(() => controlPlane.close());

  it("inspects a dataplane, typed, with the matched policy as the API stores it", async () => {
    const inspection = await client.inspectDataplane({ mesh: "demo", name: "web-1" });
    expect(inspection.total).toBe(6);
    expect(inspection.next).toBeNull();
    const outbound = inspection.items[2]!;
    expect(outbound.type).toBe("outbound");
    if (outbound.type !== "outbound") return;
    expect(outbound.effective.route).toEqual({
      implicit: false,
      conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
    });
    const stored = await client.resources(TrafficRouteType).get({ mesh: "demo", name: "tr-2" });
    expect(outbound.matchedPolicies.TrafficRoute).toEqual([stored]);
    expect(inspection.items.some((item) => "candidates" in item)).toBe(false);
  });

  it("asks for the candidates with explain", async () => {
    const inspection = await client.inspectDataplane({
      mesh: "demo",
      name: "web-1",
      explain: true,
    });
    expect(inspection.items[2]?.candidates?.TrafficRoute).toEqual([
      {
        name: "tr-2",
        rank: { exact: 2, wildcard: 0 },
        creationTime: expect.any(String),
        selected: true,
      },
    ]);
  });

  it("reads the dataplanes of a policy by page and through every page", async () => {
    const query = { type: ProxyTemplateType, mesh: "demo", name: "pt-all" } as const;
    const all = await client.policyDataplanes(query);
    expect(all.total).toBe(5);
    expect(all.nextOffset).toBeUndefined();
    expect(all.items[0]).toEqual({
      dataplane: { mesh: "demo", name: "backend-1" },
      attachments: [{ type: "dataplane" }],
    });
    const first = await client.policyDataplanes({ ...query, size: 4 });
    expect(first.items.map((item) => item.dataplane.name)).toEqual([
      "backend-1",
      "backend-2",
      "gw-1",
      "redis-1",
    ]);
    expect(first.nextOffset).toEqual(expect.any(String));
    const pages = [];
    for await (const page of client.policyDataplanePages({ ...query, size: 4 }))
      pages.push(page.items.map((item) => item.dataplane.name));
    expect(pages).toEqual([["backend-1", "backend-2", "gw-1", "redis-1"], ["web-1"]]);
  });

  it("fails with the API's 404s", async () => {
    const dataplane = await failure(client.inspectDataplane({ mesh: "demo", name: "nobody" }));
    expect(dataplane).toBeInstanceOf(ApiError);
    expect(dataplane).toMatchObject({
      status: 404,
      title: "Could not inspect a dataplane",
      details: "Not found",
    });
    const policy = await failure(
      client.policyDataplanes({ type: HealthCheckType, mesh: "demo", name: "nothing" }),
    );
    expect(policy).toMatchObject({
      status: 404,
      title: "Could not inspect a policy",
      details: "Not found",
    });
  });
});

describe("inspection answers checked at the boundary", () => {
  let server: ScriptedServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("rejects an inspection whose shape is wrong, naming the field", async () => {
    server = await startScriptedServer(() => ({
      status: 200,
      body: JSON.stringify({
        total: 1,
        items: [
          {
            type: "inbound",
            name: "x",
            service: "web",
            matchedPolicies: {},
            effective: { rbac: "yes", allowedSources: [] },
          },
        ],
        next: null,
      }),
    }));
    const error = await failure(
      createClient({ baseUrl: server.url }).inspectDataplane({ mesh: "m", name: "dp" }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).causes.map((cause) => cause.field)).toContain(
      "items[0]",
    );
  });

  it("rejects a policy's dataplanes whose items are not dataplane references", async () => {
    server = await startScriptedServer(() => ({
      status: 200,
      body: JSON.stringify({
        total: 1,
        items: [{ dataplane: "web-1", attachments: [] }],
        next: null,
      }),
    }));
    const error = await failure(
      createClient({ baseUrl: server.url }).policyDataplanes({
        type: TrafficRouteType,
        mesh: "m",
        name: "tr",
      }),
    );
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect((error as InvalidResponseError).causes[0]?.field).toBe("items[0].dataplane");
  });

  it("sends explain, size and offset, and escapes names", async () => {
    server = await startScriptedServer(() => ({
      status: 200,
      body: '{"total":0,"items":[],"next":null}',
    }));
    const client = createClient({ baseUrl: server.url });
    await client.inspectDataplane({ mesh: "m", name: "a b", explain: true });
    await client.policyDataplanes({
      type: HealthCheckType,
      mesh: "m",
      name: "hc",
      size: 5,
      offset: "abc",
    });
    expect(server.requests.map((request) => request.url)).toEqual([
      "/meshes/m/dataplanes/a%20b/policies?explain=true",
      "/meshes/m/health-checks/hc/dataplanes?size=5&offset=abc",
    ]);
  });
});
