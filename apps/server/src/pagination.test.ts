import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const trace = (mesh: string, name: string) => ({ type: "TrafficTrace", mesh, name, selectors: [{ match: { service: "*" } }] });

describe.each(storeBackends())("lists and pagination ($name store)", (backend) => {
  let api: TestApi;
  const names = ["b-2", "a-1", "c-3", "e-5", "d-4", "a-0", "z-9"];
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
    for (const name of names) await api.put(`/meshes/default/traffic-traces/${name}`, trace("default", name));
  });
  afterEach(() => api.close());

  it("lists the whole collection sorted by name when no size is given", async () => {
    const answer = await api.get("/meshes/default/traffic-traces");
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.json)).toEqual(["total", "items", "next"]);
    expect(answer.json.total).toBe(7);
    expect(answer.json.next).toBeNull();
    expect(answer.json.items.map((i: { name: string }) => i.name)).toEqual([...names].sort());
  });

  it("walks every page through the absolute next URL", async () => {
    const seen: string[] = [];
    let url: string | null = `${api.url}/meshes/default/traffic-traces?size=3`;
    let pages = 0;
    while (url !== null) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { total: number; items: { name: string }[]; next: string | null };
      expect(page.total).toBe(7);
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.name));
      if (page.next !== null) {
        const next = new URL(page.next);
        expect(next.origin).toBe(api.url);
        expect(next.pathname).toBe("/meshes/default/traffic-traces");
        expect(next.searchParams.get("size")).toBe("3");
        expect(next.searchParams.get("offset")).toEqual(expect.any(String));
      }
      url = page.next;
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].sort());
  });

  it("builds the next URL from the Host the client used", async () => {
    const answer = await api.get("/meshes/default/traffic-traces?size=1");
    expect(answer.json.next).toMatch(new RegExp(`^${api.url}/meshes/default/traffic-traces\\?offset=.+&size=1$`));
  });

  it("pages meshes too", async () => {
    for (const name of ["m-1", "m-2"]) await api.put(`/meshes/${name}`, { type: "Mesh", name });
    const first = await api.get("/meshes?size=2");
    expect(first.json.total).toBe(3);
    expect(first.json.items.map((i: { name: string }) => i.name)).toEqual(["default", "m-1"]);
    const second = (await (await fetch(first.json.next)).json()) as { total: number; next: string | null; items: { name: string }[] };
    expect(second).toMatchObject({ total: 3, next: null });
    expect(second.items.map((i: { name: string }) => i.name)).toEqual(["m-2"]);
  });

  it("gives a single page with next null when the page holds the rest", async () => {
    const answer = await api.get("/meshes/default/traffic-traces?size=1000");
    expect(answer.json).toMatchObject({ total: 7, next: null });
  });

  it.each(["0", "1001", "-1", "1.5", "abc", "", "1e2"])("answers size=%s with 400 invalid page size", async (size) => {
    const answer = await api.get(`/meshes/default/traffic-traces?size=${size}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      title: "Could not retrieve resources",
      details: "Bad Request",
      causes: [{ field: "size", message: "invalid page size" }],
    });
  });

  it("answers a repeated size with 400", async () => {
    expect((await api.get("/meshes?size=1&size=2")).status).toBe(400);
  });

  it.each(["garbage", "bm90LWEtY3Vyc29y", "%00", "1"])("answers offset=%s that no list produced with 400 invalid offset", async (offset) => {
    const answer = await api.get(`/meshes/default/traffic-traces?size=2&offset=${offset}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      title: "Could not retrieve resources",
      details: "Bad Request",
      causes: [{ field: "offset", message: "invalid offset" }],
    });
  });
});
