import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { meshScopedTypes } from "@kuma-ts/model";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const INVALID_NAME =
  "invalid characters. Valid characters are numbers, lowercase latin letters and '-', '_' symbols.";

const route = (mesh: string, name: string) => ({
  type: "TrafficRoute",
  mesh,
  name,
  sources: [{ match: { service: "web" } }],
  destinations: [{ match: { service: "backend" } }],
  conf: [{ weight: 100, destination: { service: "backend" } }],
});

const dataplane = (mesh: string, name: string, extra: Record<string, unknown> = {}) => ({
  type: "Dataplane",
  mesh,
  name,
  networking: { address: "10.0.0.1", inbound: [{ port: 8080, servicePort: 80, tags: { service: "web" } }] },
  ...extra,
});

const withoutTimes = (value: Record<string, unknown>) => {
  const { creationTime: _c, modificationTime: _m, ...rest } = value;
  return rest;
};

describe.each(storeBackends())("writing resources ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
  });
  afterEach(() => api.close());

  describe("PUT", () => {
    it("creates with 201, updates with 200, both with {} and the new version's ETag", async () => {
      const created = await api.put("/meshes/default/traffic-routes/r1", route("default", "r1"));
      expect(created.status).toBe(201);
      expect(created.json).toEqual({});
      const createdTag = created.headers.get("etag");
      expect(createdTag).toMatch(/^".+"$/);

      const got = await api.get("/meshes/default/traffic-routes/r1");
      expect(got.headers.get("etag")).toBe(createdTag);

      const updated = await api.put("/meshes/default/traffic-routes/r1", route("default", "r1"));
      expect(updated.status).toBe(200);
      expect(updated.json).toEqual({});
      expect(updated.headers.get("etag")).not.toBe(createdTag);
      expect((await api.get("/meshes/default/traffic-routes/r1")).headers.get("etag")).toBe(
        updated.headers.get("etag"),
      );
    });

    it("reads the stored resource only when it decides the answer: an invalid spec or a precondition", async () => {
      const storeReads = async (): Promise<number> => {
        const text = await (await fetch(`${api.diagnosticsUrl}/metrics`)).text();
        const match = /kuma_cp_store_operation_duration_seconds_count\{operation="get",outcome="ok"\} (\d+)/.exec(text);
        return Number(match?.[1] ?? 0);
      };
      const path = "/meshes/default/traffic-routes/r1";
      const before = await storeReads();
      expect((await api.put(path, route("default", "r1"))).status).toBe(201);
      const updated = await api.put(path, route("default", "r1"));
      expect(updated.status).toBe(200);
      expect(await storeReads()).toBe(before);

      const conditional = await api.put(path, route("default", "r1"), { "If-Match": updated.headers.get("etag")! });
      expect(conditional.status).toBe(200);
      expect(await storeReads()).toBe(before + 1);
      const invalid = await api.put(path, { ...route("default", "r1"), conf: [] });
      expect(invalid.status).toBe(400);
      expect(invalid.json.title).toBe("Could not update a resource");
      expect(await storeReads()).toBe(before + 2);
    });

    it("sets the timestamps itself, ignoring those of the body, and keeps creationTime on update", async () => {
      const body = { ...route("default", "r1"), creationTime: "2001-01-01T00:00:00Z", modificationTime: "2001-01-01T00:00:00Z" };
      expect((await api.put("/meshes/default/traffic-routes/r1", body)).status).toBe(201);
      const first = (await api.get("/meshes/default/traffic-routes/r1")).json;
      expect(first.creationTime).toMatch(/^20[2-9]\d-/);
      expect(first.modificationTime).toMatch(/^20[2-9]\d-/);
      // GET → edit → PUT round trip
      expect((await api.put("/meshes/default/traffic-routes/r1", { ...first, conf: [{ weight: 5, destination: { service: "b" } }] })).status).toBe(200);
      const second = (await api.get("/meshes/default/traffic-routes/r1")).json;
      expect(second.creationTime).toBe(first.creationTime);
      expect(second.conf).toEqual([{ weight: 5, destination: { service: "b" } }]);
    });

    it("replaces the whole spec (no merge)", async () => {
      const withOutbound = dataplane("default", "dp", {});
      (withOutbound.networking as Record<string, unknown>).outbound = [{ port: 3000, service: "db" }];
      await api.put("/meshes/default/dataplanes/dp", withOutbound);
      await api.put("/meshes/default/dataplanes/dp", dataplane("default", "dp"));
      const got = await api.get("/meshes/default/dataplanes/dp");
      expect(got.json.networking.outbound).toBeUndefined();
    });

    it("applies the Mesh defaults on create and on update", async () => {
      expect((await api.put("/meshes/m1", { type: "Mesh", name: "m1" })).status).toBe(201);
      expect(withoutTimes((await api.get("/meshes/m1")).json)).toEqual({ type: "Mesh", name: "m1", mtls: { ca: { builtin: {} } } });
      const updated = { type: "Mesh", name: "m1", mtls: { enabled: true }, metrics: { prometheus: {} } };
      expect((await api.put("/meshes/m1", updated)).status).toBe(200);
      expect(withoutTimes((await api.get("/meshes/m1")).json)).toEqual({
        type: "Mesh",
        name: "m1",
        mtls: { ca: { builtin: {} }, enabled: true },
        metrics: { prometheus: { port: 5670, path: "/metrics" } },
      });
    });

    it("accepts and ignores a mesh key in a Mesh body", async () => {
      expect((await api.put("/meshes/m2", { type: "Mesh", name: "m2", mesh: "whatever" })).status).toBe(201);
      expect((await api.get("/meshes/m2")).json.mesh).toBeUndefined();
    });

    it("refuses a body whose name, type and mesh differ from the URL, with every cause in order", async () => {
      const answer = await api.put("/meshes/default/traffic-routes/r1", { ...route("other", "r2"), type: "TrafficLog" });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        title: "Could not process a resource",
        details: "Resource is not valid",
        causes: [
          { field: "name", message: "name from the URL has to be the same as in body" },
          { field: "type", message: "type from the URL has to be the same as in body" },
          { field: "mesh", message: "mesh from the URL has to be the same as in body" },
        ],
      });
    });

    it("treats a body without name, type or mesh as mismatching the URL", async () => {
      const answer = await api.put("/meshes/default/traffic-routes/r1", { sources: [] });
      expect(answer.status).toBe(400);
      expect(answer.json.causes.map((c: { field: string }) => c.field)).toEqual(["name", "type", "mesh"]);
    });

    it("refuses names that break the rules in the URL, after the mismatches, without validating the spec", async () => {
      const answer = await api.put("/meshes/Bad.Mesh/traffic-routes/Bad_Name", { type: "TrafficRoute", mesh: "Bad.Mesh", name: "Bad_Name" });
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        title: "Could not process a resource",
        details: "Resource is not valid",
        causes: [
          { field: "name", message: INVALID_NAME },
          { field: "mesh", message: INVALID_NAME },
        ],
      });
      const mixed = await api.put("/meshes/default/traffic-routes/x:y", { type: "TrafficRoute", mesh: "default", name: "other" });
      expect(mixed.json.causes).toEqual([
        { field: "name", message: "name from the URL has to be the same as in body" },
        { field: "name", message: INVALID_NAME },
      ]);
    });

    it("gives a bad Mesh name both a name and a mesh cause", async () => {
      const answer = await api.put("/meshes/UPPER", { type: "Mesh", name: "UPPER" });
      expect(answer.status).toBe(400);
      expect(answer.json.causes).toEqual([
        { field: "name", message: INVALID_NAME },
        { field: "mesh", message: INVALID_NAME },
      ]);
      const long = "a".repeat(254);
      expect((await api.put(`/meshes/${long}`, { type: "Mesh", name: long })).status).toBe(400);
      const longest = "a".repeat(253);
      expect((await api.put(`/meshes/${longest}`, { type: "Mesh", name: longest })).status).toBe(201);
    });

    it.each([
      ["malformed JSON", '{"type": "Mesh",'],
      ["an empty body", ""],
      ["an array", "[]"],
      ["a string", '"mesh"'],
      ["null", "null"],
    ])("answers %s with Bad Request and one cause from the parser", async (_what, body) => {
      const answer = await api.put("/meshes/m3", body);
      expect(answer.status).toBe(400);
      expect(answer.json).toMatchObject({ title: "Could not process a resource", details: "Bad Request" });
      expect(answer.json.causes).toHaveLength(1);
      expect(answer.json.causes[0]).toEqual({ field: "", message: expect.any(String) });
    });

    it("answers a wrong JSON type or an unknown field with its path", async () => {
      const wrongType = await api.put("/meshes/default/dataplanes/dp", {
        ...dataplane("default", "dp"),
        networking: { address: "10.0.0.1", inbound: [{ port: "eighty", tags: { service: "web" } }] },
      });
      expect(wrongType.status).toBe(400);
      expect(wrongType.json).toEqual({
        title: "Could not process a resource",
        details: "Resource is not valid",
        causes: [{ field: "networking.inbound[0].port", message: "must be an integer" }],
      });
      const unknown = await api.put("/meshes/default/dataplanes/dp", { ...dataplane("default", "dp"), networking: { inbund: [] } });
      expect(unknown.json.causes).toEqual([{ field: "networking.inbund", message: "unknown field" }]);
    });

    it("validates the spec on create and on update, with the matching title", async () => {
      const invalid = { type: "TrafficRoute", mesh: "default", name: "r1" };
      const causes = [
        { field: "sources", message: "must have at least one element" },
        { field: "destinations", message: "must have at least one element" },
        { field: "conf", message: "must have at least one element" },
      ];
      const onCreate = await api.put("/meshes/default/traffic-routes/r1", invalid);
      expect(onCreate.status).toBe(400);
      expect(onCreate.json).toEqual({ title: "Could not create a resource", details: "Resource is not valid", causes });
      await api.put("/meshes/default/traffic-routes/r1", route("default", "r1"));
      const onUpdate = await api.put("/meshes/default/traffic-routes/r1", invalid);
      expect(onUpdate.status).toBe(400);
      expect(onUpdate.json).toEqual({ title: "Could not update a resource", details: "Resource is not valid", causes });
    });

    it("refuses to create a resource in a mesh that does not exist, after validating it", async () => {
      const answer = await api.put("/meshes/nowhere/traffic-routes/r1", route("nowhere", "r1"));
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        title: "Could not create a resource",
        details: "Mesh is not found",
        causes: [{ field: "mesh", message: "mesh of name nowhere is not found" }],
      });
      const invalid = await api.put("/meshes/nowhere/traffic-routes/r1", { type: "TrafficRoute", mesh: "nowhere", name: "r1" });
      expect(invalid.json.details).toBe("Resource is not valid");
    });

    it("answers 415 unless the body is declared as JSON", async () => {
      const unsupported = { title: "Could not process a resource", details: "Unsupported Media Type" };
      const body = JSON.stringify({ type: "Mesh", name: "m4" });
      for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/jsonx", undefined]) {
        const headers: Record<string, string> = contentType ? { "Content-Type": contentType } : {};
        const answer = await api.request("PUT", "/meshes/m4", { body, headers });
        expect(answer.status, contentType).toBe(415);
        expect(answer.json).toEqual(unsupported);
      }
      const empty = await api.request("PUT", "/meshes/m4");
      expect(empty.status).toBe(415);
      const withCharset = await api.request("PUT", "/meshes/m4", { body, headers: { "Content-Type": "Application/JSON; charset=utf-8" } });
      expect(withCharset.status).toBe(201);
    });
  });

  describe("GET and DELETE", () => {
    it("answers a missing resource with 404, whatever its name", async () => {
      for (const path of ["/meshes/nope", "/meshes/default/traffic-routes/nope", "/meshes/default/traffic-routes/Not%20Valid", "/meshes/nowhere/dataplanes/dp"]) {
        const answer = await api.get(path);
        expect(answer.status, path).toBe(404);
        expect(answer.json).toEqual({ title: "Could not retrieve a resource", details: "Not found" });
      }
      for (const path of ["/meshes/nope", "/meshes/default/traffic-routes/nope", "/meshes/default/health-checks/A*B"]) {
        const answer = await api.delete(path);
        expect(answer.status, path).toBe(404);
        expect(answer.json).toEqual({ title: "Could not delete a resource", details: "Not found" });
      }
    });

    it("deletes with 200 and {}", async () => {
      await api.put("/meshes/default/traffic-routes/r1", route("default", "r1"));
      const answer = await api.delete("/meshes/default/traffic-routes/r1");
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({});
      expect((await api.get("/meshes/default/traffic-routes/r1")).status).toBe(404);
    });
  });

  describe("deleting a mesh", () => {
    it("removes the mesh and every resource of every type in it, and nothing else", async () => {
      await api.put("/meshes/doomed", { type: "Mesh", name: "doomed" });
      const bodies: Record<string, (mesh: string, name: string) => Record<string, unknown>> = {
        Dataplane: dataplane,
        DataplaneInsight: (mesh, name) => ({ type: "DataplaneInsight", mesh, name }),
        HealthCheck: (mesh, name) => ({
          type: "HealthCheck",
          mesh,
          name,
          sources: [{ match: { service: "web" } }],
          destinations: [{ match: { service: "backend" } }],
          conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
        }),
        ProxyTemplate: (mesh, name) => ({ type: "ProxyTemplate", mesh, name }),
        TrafficPermission: (mesh, name) => ({
          type: "TrafficPermission",
          mesh,
          name,
          sources: [{ match: { service: "web" } }],
          destinations: [{ match: { service: "backend" } }],
        }),
        TrafficLog: (mesh, name) => ({
          type: "TrafficLog",
          mesh,
          name,
          sources: [{ match: { service: "web" } }],
          destinations: [{ match: { service: "backend" } }],
        }),
        TrafficRoute: route,
        TrafficTrace: (mesh, name) => ({ type: "TrafficTrace", mesh, name, selectors: [{ match: { service: "*" } }] }),
      };
      for (const type of meshScopedTypes) {
        for (const mesh of ["doomed", "default"]) {
          const answer = await api.put(`/meshes/${mesh}/${type.path}/x`, bodies[type.name]!(mesh, "x"));
          expect(answer.status, `${type.name} in ${mesh}: ${answer.text}`).toBe(201);
        }
      }
      const deleted = await api.delete("/meshes/doomed");
      expect(deleted.status).toBe(200);
      expect(deleted.json).toEqual({});
      expect((await api.get("/meshes/doomed")).status).toBe(404);
      for (const type of meshScopedTypes) {
        expect((await api.get(`/meshes/doomed/${type.path}`)).json.total, type.name).toBe(0);
        expect((await api.get(`/meshes/default/${type.path}/x`)).status, type.name).toBe(200);
      }
      // A mesh created again under the same name starts empty.
      await api.put("/meshes/doomed", { type: "Mesh", name: "doomed" });
      expect((await api.get("/meshes/doomed/traffic-routes")).json.total).toBe(0);
      expect((await api.delete("/meshes/doomed")).status).toBe(200);
      expect((await api.delete("/meshes/doomed")).status).toBe(404);
    });
  });
});
