import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { bearer, REMOTE } from "./test-support/auth.js";
import { storeBackends } from "./test-support/store-backends.js";

const ANONYMOUS = "mesh-system:anonymous/mesh-system:unauthenticated";
const SECURE_PRESET = JSON.stringify([
  { groups: ["mesh-system:authenticated"], verbs: ["read"], meshes: ["*"], types: ["*"] },
]);
const FINE_GRAINED = JSON.stringify([
  { users: ["alice"], meshes: ["demo"], types: ["*"], verbs: ["*"] },
  { users: ["carol"], meshes: ["demo"], types: ["TrafficRoute"], verbs: ["update", "get"] },
  { users: ["dave"], meshes: ["demo"], types: ["TrafficRoute"], verbs: ["create"] },
  { groups: ["viewers"], meshes: ["demo", "other"], types: ["Mesh"], verbs: ["get"] },
]);

const route = (mesh: string, name: string) => ({
  type: "TrafficRoute",
  mesh,
  name,
  sources: [{ match: { service: "*" } }],
  destinations: [{ match: { service: "*" } }],
  conf: [{ weight: 100, destination: { service: "backend" } }],
});
const denied = (user: string, verb: string, type: string, mesh: string) => ({
  title: "Access Denied",
  details: `user "${user}" cannot ${verb} the resource of type "${type}" in mesh "${mesh}"`,
});

describe.each(storeBackends())("authorization on the $name store", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const apis: TestApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });
  const start = async (env: Record<string, string>): Promise<TestApi> => {
    const api = await startApi(backend, { env });
    apis.push(api);
    return api;
  };
  const tokenFor = async (api: TestApi, name: string, groups: string[] = []): Promise<string> =>
    (await api.request("POST", "/tokens/user", { body: JSON.stringify({ name, groups, validFor: "1h" }) })).text;

  describe("with the recommended preset (reads need a token, writes need admin)", () => {
    it("filters /meshes to nothing for anonymous callers and refuses the rest with the exact 403", async () => {
      const api = await start({ KUMA_ACCESS_STATIC_RESOURCES_RULES: SECURE_PRESET });
      const list = await api.get("/meshes", REMOTE);
      expect(list.status).toBe(200);
      expect(list.json).toEqual({ total: 0, items: [], next: null });
      const get = await api.get("/meshes/default", REMOTE);
      expect(get.status).toBe(403);
      expect(get.json).toEqual(denied(ANONYMOUS, "get", "Mesh", "default"));
      expect(get.headers.get("cache-control")).toBe("no-store");
      expect((await api.get("/meshes/default/dataplanes", REMOTE)).json).toEqual(
        denied(ANONYMOUS, "list", "Dataplane", "default"),
      );
      expect((await api.get("/meshes/default/dataplanes+insights", REMOTE)).json).toEqual(
        denied(ANONYMOUS, "list", "Dataplane", "default"),
      );
      // A 403 says nothing about existence: the same for a mesh that does not exist.
      expect((await api.get("/meshes/nope", REMOTE)).json).toEqual(denied(ANONYMOUS, "get", "Mesh", "nope"));
      // Authorization comes before validation: an invalid body still gets the 403.
      const put = await api.put("/meshes/x", "{not json", REMOTE);
      expect(put.status).toBe(403);
      expect(put.json).toEqual(denied(ANONYMOUS, "create", "Mesh", "x"));
      expect((await api.delete("/meshes/default", REMOTE)).json).toEqual(denied(ANONYMOUS, "delete", "Mesh", "default"));
      // Metadata and the index stay open by default.
      expect((await api.get("/config", REMOTE)).status).toBe(200);
      expect((await api.get("/", REMOTE)).status).toBe(200);
      expect((await api.get("/catalog", REMOTE)).status).toBe(200);
    });

    it("lets token users read and refuses their writes; the local admin and the admin token do everything", async () => {
      const api = await start({ KUMA_ACCESS_STATIC_RESOURCES_RULES: SECURE_PRESET });
      const bob = bearer(await tokenFor(api, "bob"));
      expect((await api.get("/meshes", bob)).json.total).toBe(1);
      expect((await api.get("/meshes/default", bob)).status).toBe(200);
      expect((await api.get("/meshes/default/traffic-routes", bob)).status).toBe(200);
      const put = await api.put("/meshes/x", { type: "Mesh", name: "x" }, bob);
      expect(put.json).toEqual(denied("bob/mesh-system:authenticated", "create", "Mesh", "x"));
      expect((await api.put("/meshes/x", { type: "Mesh", name: "x" })).status).toBe(201);
      const admin = (await api.get("/global-secrets/admin-user-token")).json.data;
      const adminHeaders = bearer(Buffer.from(admin, "base64").toString());
      expect((await api.put("/meshes/default/traffic-routes/r", route("default", "r"), adminHeaders)).status).toBe(201);
      expect((await api.delete("/meshes/x", adminHeaders)).status).toBe(200);
    });

    it("keeps read-only's 405 ahead of a 403", async () => {
      const api = await start({ KUMA_ACCESS_STATIC_RESOURCES_RULES: SECURE_PRESET, KUMA_API_SERVER_READ_ONLY: "true" });
      expect((await api.put("/meshes/x", { type: "Mesh", name: "x" }, REMOTE)).status).toBe(405);
    });
  });

  describe("with per-mesh, per-type and per-verb rules", () => {
    let api: TestApi;
    let alice: Record<string, string>;
    beforeAll(async () => {
      api = await startApi(backend, { env: { KUMA_ACCESS_STATIC_RESOURCES_RULES: FINE_GRAINED } });
      for (const mesh of ["demo", "other", "zzz"]) await api.put(`/meshes/${mesh}`, { type: "Mesh", name: mesh });
      await api.put("/meshes/demo/traffic-routes/existing", route("demo", "existing"));
      alice = bearer(await tokenFor(api, "alice"));
    });
    afterAll(() => api.close());

    it("filters GET /meshes before paging: total and next describe what the caller may see", async () => {
      const list = await api.get("/meshes", alice);
      expect(list.json.total).toBe(1);
      expect(list.json.items.map((m: { name: string }) => m.name)).toEqual(["demo"]);
      const viewer = bearer(await tokenFor(api, "victor", ["viewers"]));
      const page = await api.get("/meshes?size=1", viewer);
      expect(page.json.total).toBe(2);
      expect(page.json.items.map((m: { name: string }) => m.name)).toEqual(["demo"]);
      const next = await api.get(new URL(page.json.next).pathname + new URL(page.json.next).search, viewer);
      expect(next.json.items.map((m: { name: string }) => m.name)).toEqual(["other"]);
      expect(next.json.next).toBeNull();
    });

    it("grants a mesh's own resources with meshes:[demo], and nothing in other meshes", async () => {
      const user = "alice/mesh-system:authenticated";
      expect((await api.get("/meshes/demo", alice)).status).toBe(200);
      expect((await api.get("/meshes/other", alice)).json).toEqual(denied(user, "get", "Mesh", "other"));
      expect((await api.put("/meshes/demo/traffic-routes/a", route("demo", "a"), alice)).status).toBe(201);
      expect((await api.put("/meshes/other/traffic-routes/a", route("other", "a"), alice)).json).toEqual(
        denied(user, "create", "TrafficRoute", "other"),
      );
      expect((await api.get("/meshes/demo/dataplanes+insights", alice)).status).toBe(200);
      expect((await api.get("/meshes/other/dataplanes+insights", alice)).json).toEqual(
        denied(user, "list", "Dataplane", "other"),
      );
      expect((await api.delete("/meshes/demo/traffic-routes/a", alice)).status).toBe(200);
    });

    it("applies the PUT rule: only update may replace, only create may create", async () => {
      const carol = bearer(await tokenFor(api, "carol"));
      const dave = bearer(await tokenFor(api, "dave"));
      const frank = bearer(await tokenFor(api, "frank"));
      expect((await api.put("/meshes/demo/traffic-routes/existing", route("demo", "existing"), carol)).status).toBe(200);
      expect((await api.put("/meshes/demo/traffic-routes/new-one", route("demo", "new-one"), carol)).json).toEqual(
        denied("carol/mesh-system:authenticated", "create", "TrafficRoute", "demo"),
      );
      expect((await api.put("/meshes/demo/traffic-routes/existing", route("demo", "existing"), dave)).json).toEqual(
        denied("dave/mesh-system:authenticated", "update", "TrafficRoute", "demo"),
      );
      expect((await api.put("/meshes/demo/traffic-routes/by-dave", route("demo", "by-dave"), dave)).status).toBe(201);
      // Neither verb: 403 naming create, whether or not the resource exists.
      for (const name of ["existing", "missing"]) {
        expect((await api.put(`/meshes/demo/traffic-routes/${name}`, route("demo", name), frank)).json).toEqual(
          denied("frank/mesh-system:authenticated", "create", "TrafficRoute", "demo"),
        );
      }
      // With If-Match too.
      const etag = (await api.get("/meshes/demo/traffic-routes/existing")).headers.get("etag")!;
      expect((await api.put("/meshes/demo/traffic-routes/existing", route("demo", "existing"), { ...dave, "If-Match": etag })).status).toBe(403);
      expect((await api.put("/meshes/demo/traffic-routes/existing", route("demo", "existing"), { ...carol, "If-Match": etag })).status).toBe(200);
    });

    it("guards /config with controlPlaneMetadata", async () => {
      const strict = await start({ KUMA_ACCESS_STATIC_CONTROL_PLANE_METADATA_GROUPS: "mesh-system:authenticated" });
      const answer = await strict.get("/config", REMOTE);
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual({ title: "Access Denied", details: `user "${ANONYMOUS}" cannot access control-plane metadata` });
      expect((await strict.get("/config")).status).toBe(200); // the local admin is in mesh-system:authenticated
      expect((await strict.get("/config", bearer(await tokenFor(strict, "bob")))).status).toBe(200);
    });
  });
});
