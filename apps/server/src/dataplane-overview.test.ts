import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

type Tags = Record<string, string>;

const dataplane = (name: string, inbounds: Tags[]) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: {
    address: "10.0.0.1",
    inbound: inbounds.map((tags, i) => ({ port: 8080 + i, servicePort: 80, tags })),
  },
});
const gateway = (name: string, tags: Tags) => ({
  type: "Dataplane",
  mesh: "default",
  name,
  networking: { address: "10.0.0.2", gateway: { tags } },
});
const insight = (name: string) => ({
  type: "DataplaneInsight",
  mesh: "default",
  name,
  subscriptions: [{ id: "s1", controlPlaneInstanceId: "cp", connectTime: "2020-01-01T00:00:00Z" }],
});

const names = (answer: { json: { items: { name: string }[] } }) => answer.json.items.map((i) => i.name);

describe.each(storeBackends())("the dataplane overview ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
    const bodies = [
      dataplane("web-1", [{ service: "web", version: "1", env: "prod" }]),
      dataplane("web-2", [{ service: "web", version: "2", env: "dev" }]),
      dataplane("split", [{ service: "web", version: "1" }, { service: "db", env: "prod" }]),
      dataplane("backend-1", [{ service: "backend", version: "1", env: "prod" }]),
      gateway("edge", { service: "gateway", env: "prod" }),
    ];
    for (const body of bodies) {
      const answer = await api.put(`/meshes/default/dataplanes/${body.name}`, body);
      expect(answer.status, answer.text).toBe(201);
    }
    expect((await api.put("/meshes/default/dataplane-insights/web-1", insight("web-1"))).status).toBe(201);
  });
  afterEach(() => api.close());

  it("joins each dataplane with its insight, {} when it has none", async () => {
    const answer = await api.get("/meshes/default/dataplanes+insights");
    expect(answer.status).toBe(200);
    expect(answer.json.total).toBe(5);
    expect(names(answer)).toEqual(["backend-1", "edge", "split", "web-1", "web-2"]);
    const web1 = answer.json.items.find((i: { name: string }) => i.name === "web-1");
    expect(web1).toMatchObject({
      type: "DataplaneOverview",
      mesh: "default",
      name: "web-1",
      dataplane: { networking: { address: "10.0.0.1" } },
      dataplaneInsight: { subscriptions: [{ id: "s1", controlPlaneInstanceId: "cp", connectTime: "2020-01-01T00:00:00Z" }] },
    });
    expect(Object.keys(web1).slice(0, 3)).toEqual(["type", "mesh", "name"]);
    expect(answer.json.items.find((i: { name: string }) => i.name === "web-2").dataplaneInsight).toEqual({});
  });

  it("answers one overview, or 404 with its own title", async () => {
    const item = await api.get("/meshes/default/dataplanes+insights/web-1");
    expect(item.status).toBe(200);
    expect(item.json).toMatchObject({ type: "DataplaneOverview", name: "web-1", dataplaneInsight: { subscriptions: [{ id: "s1" }] } });
    expect(item.headers.get("etag")).toMatch(/^".+"$/);
    expect((await api.get("/meshes/default/dataplanes+insights/web-1", { "If-None-Match": item.headers.get("etag")! })).status).toBe(304);
    const missing = await api.get("/meshes/default/dataplanes+insights/nope");
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ title: "Could not retrieve a dataplane overview", details: "Not found" });
    expect((await api.get("/meshes/default/dataplanes%2Binsights/web-1")).status).toBe(200);
  });

  it("changes the overview's ETag when the insight changes", async () => {
    const before = (await api.get("/meshes/default/dataplanes+insights/web-2")).headers.get("etag");
    await api.put("/meshes/default/dataplane-insights/web-2", insight("web-2"));
    const after = await api.get("/meshes/default/dataplanes+insights/web-2", { "If-None-Match": before! });
    expect(after.status).toBe(200);
    expect(after.json.dataplaneInsight.subscriptions).toHaveLength(1);
  });

  it.each([
    ["tag=service:web", ["split", "web-1", "web-2"]],
    ["tag=service:web&tag=version:1", ["split", "web-1"]],
    // one inbound must have every tag: split has web and prod on different inbounds
    ["tag=service:web&tag=env:prod", ["web-1"]],
    ["tag=env:*", ["backend-1", "edge", "web-1", "web-2", "split"].sort()],
    ["tag=version:*&tag=service:web", ["split", "web-1", "web-2"]],
    ["tag=service:gateway", ["edge"]],
    ["tag=service:nothing", []],
    ["tag=nokey:*", []],
    ["tag=ignored-without-colon", ["backend-1", "edge", "split", "web-1", "web-2"]],
    ["tag=" + encodeURIComponent("url:http://x:1"), []],
  ])("filters by %s", async (query, expected) => {
    const answer = await api.get(`/meshes/default/dataplanes+insights?${query}`);
    expect(answer.status).toBe(200);
    expect(names(answer)).toEqual(expected);
    expect(answer.json.total).toBe(expected.length);
  });

  it("splits a tag filter on the first colon", async () => {
    await api.put("/meshes/default/dataplanes/url", dataplane("url", [{ service: "x", url: "http://a:1" }]));
    const answer = await api.get(`/meshes/default/dataplanes+insights?tag=${encodeURIComponent("url:http://a:1")}`);
    expect(names(answer)).toEqual(["url"]);
  });

  it("filters before paging and carries the filters into the next URL", async () => {
    const first = await api.get("/meshes/default/dataplanes+insights?size=2&tag=service:web");
    expect(first.json.total).toBe(3);
    expect(names(first)).toEqual(["split", "web-1"]);
    const next = new URL(first.json.next);
    expect(next.pathname).toBe("/meshes/default/dataplanes+insights");
    expect(next.searchParams.getAll("tag")).toEqual(["service:web"]);
    expect(next.searchParams.get("size")).toBe("2");
    const second = (await (await fetch(first.json.next)).json()) as { total: number; next: string | null; items: { name: string }[] };
    expect(second.items.map((i: { name: string }) => i.name)).toEqual(["web-2"]);
    expect(second).toMatchObject({ total: 3, next: null });
  });

  it("answers an empty list for a mesh without dataplanes", async () => {
    expect((await api.get("/meshes/nowhere/dataplanes+insights")).json).toEqual({ total: 0, items: [], next: null });
  });
});
