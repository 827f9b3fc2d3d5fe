import { readFile } from "node:fs/promises";
import {
  DataplaneInsightType,
  DataplaneType,
  MeshType,
  TrafficPermissionType,
  parseResource,
  resourceTypeByName,
  toWire,
  type Resource,
} from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, type KumaClient } from "./client.js";
import { ApiError } from "./errors.js";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { failure } from "./test-support/failure.js";

const EXAMPLES = new URL("../../../examples/", import.meta.url);

async function example(file: string): Promise<Resource> {
  const text = await readFile(new URL(file, EXAMPLES), "utf8");
  const type = resourceTypeByName((JSON.parse(text) as { type: string }).type);
  if (!type) throw new Error(`unknown type in ${file}`);
  return parseResource(type, text) as Resource;
}

function withoutTimes(resource: Resource): Record<string, unknown> {
  const { creationTime: _c, modificationTime: _m, ...rest } = toWire(resource);
  return rest;
}

let controlPlane: TestControlPlane;
let client: KumaClient;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  client = createClient({ baseUrl: controlPlane.url });
});
afterAll(() => controlPlane.close());

describe("against the real control plane", () => {
  it("reads the index with the Kuma tagline", async () => {
    const index = await client.index();
    expect(index.tagline).toBe("Kuma");
    expect(typeof index.version).toBe("string");
  });

  it("creates every reference example and reads it back equal", async () => {
    const files = [
      "mesh-1.json",
      "dataplane-backend-1.json",
      "dataplane-example.json",
      "health-check-web-to-backend.json",
      "proxytemplate-pt-1.json",
      "traffic-log-tl-1.json",
      "traffic-permission-tp-1.json",
      "traffic-route-web-to-backend.json",
      "traffic-trace-tt-1.json",
      "dataplane-insight-example.json",
    ];
    for (const file of files) {
      const resource = await example(file);
      const type = resourceTypeByName(resource.type)!;
      const put = await client.resources(type).put(resource as never);
      expect(put.created, file).toBe(true);
      const key = {
        name: resource.name,
        mesh: resource.type === "Mesh" ? undefined : resource.mesh,
      };
      const read = await client.resources(type).get(key as never);
      expect(withoutTimes(read as Resource), file).toEqual(
        withoutTimes(type.applyDefaults(resource as never) as Resource),
      );
      expect(read.creationTime, file).toMatch(/^\d{4}-\d\d-\d\dT/);
    }
  });

  it("surfaces the server's validation causes", async () => {
    const invalid = await example("dataplane-backend-1-outbound-without-port.json");
    const error = await failure(
      client.resources(DataplaneType).put({ ...invalid, name: "backend-2" } as never),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      title: "Could not create a resource",
      details: "Resource is not valid",
      causes: [
        { field: "networking.outbound[0].port", message: "port has to be in range of [1, 65535]" },
      ],
    });
  });

  it("joins a dataplane with its insight and filters overviews by tag", async () => {
    const overview = await client.dataplaneOverview({ mesh: "default", name: "example" });
    expect(overview.dataplane.networking?.address).toBe("127.0.0.1");
    expect(overview.dataplaneInsight.subscriptions?.[0]?.connectTime).toBe(
      "2019-10-24T14:04:56.820350Z",
    );
    const matching = await client.dataplaneOverviews({
      mesh: "default",
      tags: { service: "backend", env: "*" },
    });
    expect(matching.items.map((o) => o.name)).toEqual(["example"]);
    const none = await client.dataplaneOverviews({ mesh: "default", tags: { service: "web" } });
    // Overview lists carry a resume token now (watch.md §3): the page is otherwise empty.
    expect(none).toMatchObject({ total: 0, items: [], next: null, nextOffset: undefined });
    const insight = await client
      .resources(DataplaneInsightType)
      .get({ mesh: "default", name: "example" });
    expect(insight.subscriptions).toHaveLength(1);
  });

  it("answers a missing resource with a 404 ApiError", async () => {
    const error = await failure(client.resources(MeshType).get({ name: "no-such-mesh" }));
    expect(error).toMatchObject({
      status: 404,
      title: "Could not retrieve a resource",
      details: "Not found",
    });
    const overview = await failure(client.dataplaneOverview({ mesh: "default", name: "nope" }));
    expect(overview).toMatchObject({
      status: 404,
      title: "Could not retrieve a dataplane overview",
    });
  });

  it("pages through a collection and iterates all of it", async () => {
    const permissions = client.resources(TrafficPermissionType);
    for (const name of ["tp-a", "tp-b", "tp-c", "tp-d", "tp-e"]) {
      await permissions.put({
        type: "TrafficPermission",
        mesh: "default",
        name,
        sources: [{ match: { service: "web" } }],
        destinations: [{ match: { service: "backend" } }],
      });
    }
    const first = await permissions.list({ mesh: "default", size: 2 });
    expect(first.total).toBe(5);
    expect(first.items.map((p) => p.name)).toEqual(["tp-a", "tp-b"]);
    expect(first.nextOffset).toEqual(expect.any(String));
    const pageSizes: number[] = [];
    for await (const page of permissions.pages({ mesh: "default", size: 2 }))
      pageSizes.push(page.items.length);
    expect(pageSizes).toEqual([2, 2, 1]);
    const names: string[] = [];
    for await (const permission of permissions.listAll({ mesh: "default", size: 2 }))
      names.push(permission.name);
    expect(names).toEqual(["tp-a", "tp-b", "tp-c", "tp-d", "tp-e"]);
    const whole = await permissions.list({ mesh: "default" });
    expect(whole).toMatchObject({ total: 5, next: null, nextOffset: undefined });
  });

  it("honours If-Match and create-only preconditions", async () => {
    const meshes = client.resources(MeshType);
    const created = await meshes.put({ type: "Mesh", name: "conditional" }, { createOnly: true });
    expect(created.created).toBe(true);
    const again = await failure(
      meshes.put({ type: "Mesh", name: "conditional" }, { createOnly: true }),
    );
    expect(again).toMatchObject({
      status: 412,
      details: "Precondition Failed",
      title: "Could not update a resource",
    });
    const { version } = await meshes.getWithVersion({ name: "conditional" });
    expect(version).toBe(created.version);
    const updated = await meshes.put(
      { type: "Mesh", name: "conditional", mtls: { enabled: true } },
      { ifMatch: version },
    );
    expect(updated.created).toBe(false);
    const stale = await failure(
      meshes.put({ type: "Mesh", name: "conditional" }, { ifMatch: version }),
    );
    expect(stale).toMatchObject({ status: 412 });
    const staleDelete = await failure(meshes.delete({ name: "conditional" }, { ifMatch: version }));
    expect(staleDelete).toMatchObject({ status: 412, title: "Could not delete a resource" });
    await meshes.delete({ name: "conditional" }, { ifMatch: updated.version });
    const gone = await failure(meshes.delete({ name: "conditional" }));
    expect(gone).toMatchObject({
      status: 404,
      title: "Could not delete a resource",
      details: "Not found",
    });
  });

  it("reads a resource again only when it changed (If-None-Match, 304)", async () => {
    const meshes = client.resources(MeshType);
    await meshes.put({ type: "Mesh", name: "polled" });
    const first = await meshes.getIfChanged({ name: "polled" }, undefined);
    expect(first?.resource.name).toBe("polled");
    expect(await meshes.getIfChanged({ name: "polled" }, first!.version)).toBeUndefined();
    await meshes.put({ type: "Mesh", name: "polled", mtls: { enabled: true } });
    const changed = await meshes.getIfChanged({ name: "polled" }, first!.version);
    expect(changed?.resource.mtls?.enabled).toBe(true);
    expect(changed?.version).not.toBe(first!.version);
  });

  it("reads a dataplane overview again only when the dataplane or its insight changed", async () => {
    const dataplanes = client.resources(DataplaneType);
    const dataplane = {
      type: "Dataplane" as const,
      mesh: "default",
      name: "polled-dp",
      networking: { address: "10.0.0.9", inbound: [{ port: 8080, tags: { service: "web" } }] },
    };
    await dataplanes.put(dataplane);
    const key = { mesh: "default", name: "polled-dp" };
    const first = await client.dataplaneOverviewIfChanged(key, undefined);
    expect(first?.resource.dataplaneInsight).toEqual({});
    expect(await client.dataplaneOverviewIfChanged(key, first!.version)).toBeUndefined();
    await client.resources(DataplaneInsightType).put({
      type: "DataplaneInsight",
      mesh: "default",
      name: "polled-dp",
      subscriptions: [{ id: "s1", controlPlaneInstanceId: "cp-1" }],
    });
    const changed = await client.dataplaneOverviewIfChanged(key, first!.version);
    expect(changed?.resource.dataplaneInsight.subscriptions).toHaveLength(1);
    await dataplanes.delete(key);
  });

  it("reads the configuration and the catalog", async () => {
    const config = await client.config();
    expect(config).toHaveProperty("apiServer");
    const catalog = await client.catalog();
    expect(catalog.apis.bootstrap.url).toBe("http://localhost:5682");
  });
});
