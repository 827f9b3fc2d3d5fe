import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const ORIGIN = "http://gui.example:5683";
const EXPOSE = "Access-Control-Allow-Origin, ETag, Kuma-Resume-Token";
const CORS_HEADERS = ["access-control-allow-origin", "access-control-expose-headers", "access-control-allow-methods", "access-control-allow-headers"];

const corsHeadersOf = (headers: Headers) => CORS_HEADERS.filter((name) => headers.has(name));

describe.each(storeBackends())("CORS and read-only mode ($name store)", (backend) => {
  let api: TestApi | undefined;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });
  const start = async (env: Record<string, string> = {}) => {
    api = await startApi(backend, { env });
    return api;
  };

  describe("under the default configuration", () => {
    it("allows any origin on simple requests, errors included", async () => {
      const api = await start();
      for (const path of ["/meshes/default", "/meshes/nope", "/nothing"]) {
        const answer = await api.get(path, { Origin: ORIGIN });
        expect(answer.headers.get("access-control-allow-origin"), path).toBe(ORIGIN);
        expect(answer.headers.get("access-control-expose-headers"), path).toBe(EXPOSE);
      }
      const put = await api.put("/meshes/m1", "{", { Origin: ORIGIN });
      expect(put.status).toBe(400);
      expect(put.headers.get("access-control-allow-origin")).toBe(ORIGIN);
    });

    it("sends no CORS header without an Origin", async () => {
      const api = await start();
      expect(corsHeadersOf((await api.get("/meshes/default")).headers)).toEqual([]);
    });

    it("answers a preflight without request headers with 200 and the path's methods", async () => {
      const api = await start();
      const answer = await api.request("OPTIONS", "/meshes/default/traffic-routes/r", {
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "PUT" },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get("access-control-allow-origin")).toBe(ORIGIN);
      expect(answer.headers.get("access-control-allow-methods")).toBe("GET, HEAD, PUT, DELETE");
      expect(answer.headers.get("access-control-expose-headers")).toBe(EXPOSE);
      const list = await api.request("OPTIONS", "/meshes", {
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" },
      });
      expect(list.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
    });

    it("refuses a preflight asking for request headers: 200 without CORS headers", async () => {
      const api = await start();
      const answer = await api.request("OPTIONS", "/meshes/default/traffic-routes/r", {
        headers: { Origin: ORIGIN, "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "content-type" },
      });
      expect(answer.status).toBe(200);
      expect(corsHeadersOf(answer.headers)).toEqual([]);
    });

    it("refuses a preflight for a method the path does not have, or an unknown path", async () => {
      const api = await start();
      for (const [path, method] of [["/meshes", "PUT"], ["/nothing", "GET"], ["/meshes/default", "POST"]] as const) {
        const answer = await api.request("OPTIONS", path, { headers: { Origin: ORIGIN, "Access-Control-Request-Method": method } });
        expect(answer.status, `${method} ${path}`).toBe(200);
        expect(corsHeadersOf(answer.headers), `${method} ${path}`).toEqual([]);
      }
    });
  });

  describe("with explicit allowed domains", () => {
    const env = { KUMA_API_SERVER_CORS_ALLOWED_DOMAINS: "http://exact.example,https?://.*\\.corp\\.example(:\\d+)?" };

    it("allows an origin equal to an entry or matching one as a whole-string regex", async () => {
      const api = await start(env);
      for (const origin of ["http://exact.example", "https://gui.corp.example:8443", "http://a.corp.example"]) {
        expect((await api.get("/", { Origin: origin })).headers.get("access-control-allow-origin"), origin).toBe(origin);
      }
      for (const origin of ["http://exact.example.evil", "http://corp.example", "https://gui.corp.example.evil.com", "null"]) {
        const answer = await api.get("/", { Origin: origin });
        expect(answer.status).toBe(200);
        expect(corsHeadersOf(answer.headers), origin).toEqual([]);
      }
    });

    it("lets an allowed origin ask for Content-Type and the conditional headers, nothing else", async () => {
      const api = await start(env);
      const allowed = await api.request("OPTIONS", "/meshes/m", {
        headers: { Origin: "http://exact.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "Content-Type, If-Match" },
      });
      expect(allowed.status).toBe(200);
      expect(allowed.headers.get("access-control-allow-methods")).toBe("GET, HEAD, PUT, DELETE");
      expect(allowed.headers.get("access-control-allow-headers")).toBe("Content-Type, If-Match");
      const refused = await api.request("OPTIONS", "/meshes/m", {
        headers: { Origin: "http://exact.example", "Access-Control-Request-Method": "PUT", "Access-Control-Request-Headers": "Content-Type, Authorization" },
      });
      expect(corsHeadersOf(refused.headers)).toEqual([]);
      const otherOrigin = await api.request("OPTIONS", "/meshes/m", {
        headers: { Origin: "http://evil.example", "Access-Control-Request-Method": "GET" },
      });
      expect(otherOrigin.status).toBe(200);
      expect(corsHeadersOf(otherOrigin.headers)).toEqual([]);
    });
  });

  describe("in read-only mode", () => {
    const env = { KUMA_API_SERVER_READ_ONLY: "true" };

    it("answers every PUT and DELETE of a known route with 405, and serves reads", async () => {
      const api = await start(env);
      const readOnly = { title: "Method not allowed", details: "the API server is in read-only mode" };
      const cases: [string, string][] = [
        ["PUT", "/meshes/m1"],
        ["DELETE", "/meshes/default"],
        ["PUT", "/meshes/default/dataplanes/dp"],
        ["DELETE", "/meshes/default/traffic-routes/r"],
      ];
      for (const [method, path] of cases) {
        const answer = await api.request(method, path, { body: method === "PUT" ? "{}" : undefined, headers: { "Content-Type": "application/json" } });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.json).toEqual(readOnly);
        expect(answer.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
      }
      expect((await api.get("/meshes/default")).status).toBe(200);
      expect((await api.get("/meshes")).json.total).toBe(1);
      expect((await api.put("/nothing", {})).status).toBe(404);
      expect((await api.put("/meshes", {})).json.details).toBe("PUT is not supported on this path");
    });

    it("advertises only GET, HEAD in preflights", async () => {
      const api = await start(env);
      const get = await api.request("OPTIONS", "/meshes/default", { headers: { Origin: ORIGIN, "Access-Control-Request-Method": "GET" } });
      expect(get.headers.get("access-control-allow-methods")).toBe("GET, HEAD");
      const put = await api.request("OPTIONS", "/meshes/default", { headers: { Origin: ORIGIN, "Access-Control-Request-Method": "PUT" } });
      expect(put.status).toBe(200);
      expect(corsHeadersOf(put.headers)).toEqual([]);
      expect((await api.request("OPTIONS", "/meshes/default")).headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    });

    it("still creates the default mesh at start-up", async () => {
      const api = await start(env);
      expect((await api.get("/meshes/default")).status).toBe(200);
    });
  });
});
