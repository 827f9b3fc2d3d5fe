import http from "node:http";
import type { AddressInfo } from "node:net";
import Koa from "koa";
import { describe, expect, it } from "vitest";
import type { ApiContext, ApiState } from "./context.js";
import { admitsJson } from "./accept.js";
import { ifMatchHolds, ifNoneMatchHolds, parseEntityTags } from "./entity-tags.js";
import { originMatcher } from "./cors.js";
import { createRouting, editDistance } from "./routing.js";

describe("the route table", () => {
  const routing = createRouting([
    { template: "/meshes", handlers: { GET: () => {} } },
    { template: "/meshes/{mesh}/dataplanes+insights", handlers: { GET: () => {} } },
    { template: "/meshes/{mesh}/dataplane-insights/{name}", handlers: { GET: () => {}, PUT: () => {}, DELETE: () => {} } },
  ]);

  it("knows the methods of a path, ignoring a trailing slash and case-sensitive", () => {
    expect(routing.methodsOf("/meshes/")).toEqual(["GET", "HEAD"]);
    expect(routing.methodsOf("/meshes/m/dataplane-insights/x")).toEqual(["GET", "HEAD", "PUT", "DELETE"]);
    expect(routing.methodsOf("/Meshes")).toEqual([]);
  });

  it("suggests the path one typo away, preferring a left-out letter over a wrong one", () => {
    expect(routing.suggest("/meshes/m/dataplane+insights")).toBe("/meshes/m/dataplanes+insights");
    expect(routing.suggest("/mesh")).toBe("/meshes");
    expect(routing.suggest("/meshes/m/something")).toBeUndefined();
    expect(routing.suggest("/meshes//dataplanes+insights")).toBeUndefined();
  });

  it("dispatches templates of one shape, and of shapes alike but for their parameters' names, to their own handlers", async () => {
    const seen = (label: string) => (ctx: ApiContext) => {
      ctx.body = { label, params: { ...ctx.params }, route: ctx._matchedRouteName };
    };
    const dispatch = createRouting([
      { template: "/", handlers: { GET: seen("index") } },
      { template: "/meshes/{name}", handlers: { GET: seen("mesh"), PUT: seen("put mesh") } },
      { template: "/zones/{zone}", handlers: { GET: seen("zone") } },
      { template: "/meshes/{mesh}/dataplanes/{name}", handlers: { GET: seen("dataplane") } },
      { template: "/meshes/{mesh}/health-checks/{name}", handlers: { DELETE: seen("delete health check") } },
      { template: "/meshes/{mesh}/dataplanes+insights/{name}", handlers: { GET: seen("overview") } },
    ]);
    const app = new Koa<ApiState, ApiContext>();
    app.use(dispatch.router.routes());
    app.use((ctx) => {
      ctx.status = 418;
      ctx.body = { methods: dispatch.methodsOf(ctx.path) };
    });
    const server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (method: string, path: string) => {
      const answer = await fetch(base + path, { method });
      return { status: answer.status, body: (await answer.json()) as unknown };
    };
    try {
      expect(await call("GET", "/")).toEqual({ status: 200, body: { label: "index", params: {}, route: "/" } });
      expect((await call("PUT", "/meshes/m1")).body).toMatchObject({ label: "put mesh", params: { name: "m1" }, route: "/meshes/{name}" });
      expect((await call("GET", "/zones/z%31")).body).toMatchObject({ label: "zone", params: { zone: "z1" }, route: "/zones/{zone}" });
      expect((await call("GET", "/meshes/m/dataplanes/dp-1/")).body).toMatchObject({
        label: "dataplane",
        params: { mesh: "m", name: "dp-1" },
        route: "/meshes/{mesh}/dataplanes/{name}",
      });
      expect((await call("GET", "/meshes/m/dataplanes+insights/dp-1")).body).toMatchObject({ label: "overview" });
      expect((await call("DELETE", "/meshes/m/health-checks/h")).body).toMatchObject({ label: "delete health check" });
      // A method the route lacks, though its shape has it, and literals the table does not know: on to the next middleware.
      expect(await call("GET", "/meshes/m/health-checks/h")).toEqual({ status: 418, body: { methods: ["DELETE"] } });
      expect(await call("DELETE", "/meshes/m/dataplanes/dp-1")).toEqual({ status: 418, body: { methods: ["GET", "HEAD"] } });
      expect(await call("GET", "/meshes/m/Dataplanes/dp-1")).toEqual({ status: 418, body: { methods: [] } });
      expect(await call("GET", "/meshes/m/data%70lanes/dp-1")).toEqual({ status: 418, body: { methods: [] } });
      expect(await call("GET", "/meshes/m/dataplanes/dp-1/x")).toEqual({ status: 418, body: { methods: [] } });
    } finally {
      server.close();
    }
  });

  it("measures edits", () => {
    expect(editDistance("trafficpermissions", "traffic-permissions")).toBe(1);
    expect(editDistance("mesehs", "meshes")).toBe(1);
    expect(editDistance("a+b", "a-b")).toBe(1.5);
    expect(editDistance("abc", "abcdef")).toBe(3);
  });
});

describe("content negotiation", () => {
  it.each([
    [undefined, true],
    ["", true],
    ["application/json", true],
    ["*/*;q=0.1", true],
    ["text/plain, application/*", true],
    ["text/html", false],
    ["application/json;q=0", false],
    ["application/xml, text/*", false],
  ])("Accept %s admits JSON: %s", (accept, admitted) => {
    expect(admitsJson(accept)).toBe(admitted);
  });
});

describe("entity tags", () => {
  it("parses lists, stars and weak tags", () => {
    expect(parseEntityTags(undefined)).toBeUndefined();
    expect(parseEntityTags(" * ")).toEqual({ any: true, tags: [] });
    expect(parseEntityTags('"1", W/"2", junk')).toEqual({
      any: false,
      tags: [
        { opaque: "1", weak: false },
        { opaque: "2", weak: true },
      ],
    });
  });

  it("compares strongly for If-Match and weakly for If-None-Match", () => {
    const condition = parseEntityTags('W/"7"')!;
    expect(ifMatchHolds(condition, "7")).toBe(false);
    expect(ifNoneMatchHolds(condition, "7")).toBe(false);
    expect(ifMatchHolds(parseEntityTags("*")!, undefined)).toBe(false);
    expect(ifNoneMatchHolds(parseEntityTags("*")!, undefined)).toBe(true);
  });
});

describe("CORS origins", () => {
  it("match an entry exactly or as a whole-string regular expression", () => {
    const allowed = originMatcher(["http://a.example", "https://.*\\.b\\.example"]);
    expect(allowed("http://a.example")).toBe(true);
    expect(allowed("https://x.b.example")).toBe(true);
    expect(allowed("https://x.b.example.evil")).toBe(false);
    expect(allowed("http://a.example:1")).toBe(false);
  });
});
