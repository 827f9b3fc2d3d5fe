import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const log = (name: string, backendName = "file") => ({
  type: "TrafficLog",
  mesh: "default",
  name,
  sources: [{ match: { service: "web" } }],
  destinations: [{ match: { service: "backend" } }],
  conf: { backend: backendName },
});
const PATH = "/meshes/default/traffic-logs/tl";
const precondition = (title: string) => ({ title, details: "Precondition Failed" });

describe.each(storeBackends())("versions and conditional requests ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
  });
  afterEach(() => api.close());

  it("answers GET with If-None-Match of the current version 304, and 200 once it changed", async () => {
    const etag = (await api.put(PATH, log("tl"))).headers.get("etag")!;
    const notModified = await api.get(PATH, { "If-None-Match": etag });
    expect(notModified.status).toBe(304);
    expect(notModified.text).toBe("");
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await api.get(PATH, { "If-None-Match": `"other", ${etag}` })).status).toBe(304);
    await api.put(PATH, log("tl", "tcp"));
    const modified = await api.get(PATH, { "If-None-Match": etag });
    expect(modified.status).toBe(200);
    expect(modified.json.conf).toEqual({ backend: "tcp" });
  });

  it("updates with If-Match of the current version and refuses a stale one with 412", async () => {
    const etag = (await api.put(PATH, log("tl"))).headers.get("etag")!;
    const updated = await api.put(PATH, log("tl", "tcp"), { "If-Match": etag });
    expect(updated.status).toBe(200);
    const stale = await api.put(PATH, log("tl", "file"), { "If-Match": etag });
    expect(stale.status).toBe(412);
    expect(stale.json).toEqual(precondition("Could not update a resource"));
    expect((await api.get(PATH)).json.conf).toEqual({ backend: "tcp" });
  });

  it("never matches If-Match on a missing resource", async () => {
    const answer = await api.put(PATH, log("tl"), { "If-Match": '"1"' });
    expect(answer.status).toBe(412);
    expect(answer.json).toEqual(precondition("Could not create a resource"));
    expect((await api.put(PATH, log("tl"), { "If-Match": "*" })).status).toBe(412);
    expect((await api.get(PATH)).status).toBe(404);
  });

  it("creates only with If-None-Match: * and refuses when the resource exists", async () => {
    expect((await api.put(PATH, log("tl"), { "If-None-Match": "*" })).status).toBe(201);
    const again = await api.put(PATH, log("tl"), { "If-None-Match": "*" });
    expect(again.status).toBe(412);
    expect(again.json).toEqual(precondition("Could not update a resource"));
  });

  it("deletes with If-Match of the current version only", async () => {
    const etag = (await api.put(PATH, log("tl"))).headers.get("etag")!;
    const stale = await api.delete(PATH, { "If-Match": '"not-the-version"' });
    expect(stale.status).toBe(412);
    expect(stale.json).toEqual(precondition("Could not delete a resource"));
    expect((await api.delete(PATH, { "If-Match": etag })).status).toBe(200);
    expect((await api.delete(PATH, { "If-Match": etag })).status).toBe(412);
  });

  it("deletes a mesh, with its resources, on If-Match of its version only", async () => {
    const etag = (await api.put("/meshes/m1", { type: "Mesh", name: "m1" })).headers.get("etag")!;
    expect((await api.put("/meshes/m1/traffic-logs/tl", { ...log("tl"), mesh: "m1" })).status).toBe(201);
    expect((await api.delete("/meshes/m1", { "If-Match": '"0"' })).status).toBe(412);
    expect((await api.get("/meshes/m1/traffic-logs/tl")).status).toBe(200);
    expect((await api.delete("/meshes/m1", { "If-Match": etag })).status).toBe(200);
    expect((await api.get("/meshes/m1/traffic-logs/tl")).status).toBe(404);
    expect((await api.delete("/meshes/m1", { "If-Match": etag })).status).toBe(412);
  });

  it("changes the version on every write", async () => {
    const tags = new Set<string>();
    for (let i = 0; i < 5; i++) tags.add((await api.put(PATH, log("tl", `b${i}`))).headers.get("etag")!);
    expect(tags.size).toBe(5);
  });

  it("resolves 32 concurrent creates of one name: one 201, the others 200, the last write whole", async () => {
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => api.put(PATH, log("tl", `b${i}`))));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(31);
    const stored = await api.get(PATH);
    const winner = answers.findIndex((a) => a.headers.get("etag") === stored.headers.get("etag"));
    expect(stored.json.conf).toEqual({ backend: `b${winner}` });
  });

  it("resolves 32 concurrent updates of one resource with 200s only", async () => {
    await api.put(PATH, log("tl"));
    const answers = await Promise.all(Array.from({ length: 32 }, (_, i) => api.put(PATH, log("tl", `b${i}`))));
    expect(answers.map((a) => a.status)).toEqual(Array(32).fill(200));
    expect(new Set(answers.map((a) => a.headers.get("etag"))).size).toBe(32);
  });

  it("answers 412 to concurrent If-Match writers of one version, all but one", async () => {
    const etag = (await api.put(PATH, log("tl"))).headers.get("etag")!;
    const answers = await Promise.all(
      Array.from({ length: 16 }, (_, i) => api.put(PATH, log("tl", `b${i}`), { "If-Match": etag })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(15).fill(412)]);
    for (const refused of answers.filter((a) => a.status === 412)) {
      expect(refused.json).toEqual(precondition("Could not update a resource"));
    }
  });
});
