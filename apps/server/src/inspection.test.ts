/**
 * The inspection endpoints over HTTP (inspection.md §2, §3), black-box, on
 * the memory store and on a real Redis: the worked examples of §7, paging,
 * and every error of the spec.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MeshType } from "@kuma-ts/model";
import { startRedisServer } from "@kuma-ts/redis-harness";
import { createRedisStore, StoreUnavailableError, type ResourceStore } from "@kuma-ts/store";
import { startApi, type Answer, type TestApi } from "./test-support/api.js";
import { failingStore } from "./test-support/failing-store.js";
import { DEMO, putAll, urlOf, type Body } from "./test-support/inspection-demo.js";
import { memoryBackend, storeBackends } from "./test-support/store-backends.js";

const ANY = { service: "*" };
const service = (name: string) => ({ service: name });
const rule = (source: Record<string, string>, destination: Record<string, string>) => ({
  sources: [{ match: source }],
  destinations: [{ match: destination }],
});
const to = (destination: Record<string, string>) => [{ weight: 100, destination }];
const policy = (
  type: string,
  name: string,
  spec: Record<string, unknown>,
  mesh = "demo",
): Body => ({
  type,
  mesh,
  name,
  ...spec,
});

type Item = {
  type: string;
  name?: string;
  service?: string;
  matchedPolicies: Record<string, { name: string }[]>;
  effective: unknown;
  candidates?: unknown;
};

/** The item of an answer at `dataplane`, `inbound <name>`, `outbound <name>` or `service <name>`. */
function itemAt(answer: Answer, at: string): Item {
  const items = (answer.json as { items: Item[] }).items;
  const found = items.find(
    (item) => (item.type === "dataplane" ? item.type : `${item.type} ${item.name}`) === at,
  );
  if (!found) throw new Error(`no ${at} in ${answer.text}`);
  return found;
}

const names = (item: Item) =>
  Object.fromEntries(
    Object.entries(item.matchedPolicies).map(([type, list]) => [type, list.map((p) => p.name)]),
  );

describe.each(storeBackends())("inspection over HTTP ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
    await putAll(api, DEMO);
  });
  afterEach(() => api.close());

  const inspect = (dataplane: string, mesh = "demo", query = "") =>
    api.get(`/meshes/${mesh}/dataplanes/${dataplane}/policies${query}`);

  describe("§7 worked examples", () => {
    it("1: lists every attachment of web-1 with nothing matched", async () => {
      const answer = await inspect("web-1");
      expect(answer.status).toBe(200);
      expect(answer.headers.get("content-type")).toMatch(/^application\/json/);
      expect(answer.json).toEqual({
        total: 6,
        items: [
          {
            type: "dataplane",
            matchedPolicies: {},
            effective: { tracingBackend: null, proxyTemplate: null },
          },
          {
            type: "inbound",
            name: "10.0.0.1:8080:80",
            service: "web",
            matchedPolicies: {},
            effective: { rbac: false, allowedSources: [] },
          },
          {
            type: "outbound",
            name: "127.0.0.1:10001",
            service: "backend",
            matchedPolicies: {},
            effective: {
              route: { implicit: true, conf: to(service("backend")) },
              logBackend: null,
            },
          },
          {
            type: "outbound",
            name: "127.0.0.1:10002",
            service: "redis",
            matchedPolicies: {},
            effective: { route: { implicit: true, conf: to(service("redis")) }, logBackend: null },
          },
          {
            type: "service",
            name: "backend",
            service: "backend",
            matchedPolicies: {},
            effective: {},
          },
          { type: "service", name: "redis", service: "redis", matchedPolicies: {}, effective: {} },
        ],
        next: null,
      });
    });

    it("3: answers the whole body of §7.1, the policy exactly as GET returns it", async () => {
      await putAll(api, [
        policy("TrafficRoute", "tr-1", {
          ...rule(ANY, service("backend")),
          conf: to({ service: "backend", version: "v1" }),
        }),
        policy("TrafficRoute", "tr-2", {
          ...rule(service("web"), service("backend")),
          conf: to({ service: "backend", version: "v2" }),
        }),
      ]);
      const stored = await api.get("/meshes/demo/traffic-routes/tr-2");
      const conf = '[{"weight":100,"destination":{"service":"backend","version":"v2"}}]';
      const expected =
        '{"total":6,"items":[' +
        '{"type":"dataplane","matchedPolicies":{},"effective":{"tracingBackend":null,"proxyTemplate":null}},' +
        '{"type":"inbound","name":"10.0.0.1:8080:80","service":"web","matchedPolicies":{},"effective":{"rbac":false,"allowedSources":[]}},' +
        `{"type":"outbound","name":"127.0.0.1:10001","service":"backend","matchedPolicies":{"TrafficRoute":[${stored.text}]},` +
        `"effective":{"route":{"implicit":false,"conf":${conf}},"logBackend":null}},` +
        '{"type":"outbound","name":"127.0.0.1:10002","service":"redis","matchedPolicies":{},' +
        '"effective":{"route":{"implicit":true,"conf":[{"weight":100,"destination":{"service":"redis"}}]},"logBackend":null}},' +
        '{"type":"service","name":"backend","service":"backend","matchedPolicies":{},"effective":{}},' +
        '{"type":"service","name":"redis","service":"redis","matchedPolicies":{},"effective":{}}' +
        '],"next":null}';
      expect((await inspect("web-1")).text).toBe(expected);
      expect(stored.json).toMatchObject({
        type: "TrafficRoute",
        mesh: "demo",
        name: "tr-2",
        creationTime: expect.any(String),
        modificationTime: expect.any(String),
      });
    });

    it("3 with explain: the losing candidates with their ranks, winner first", async () => {
      await putAll(api, [
        policy("TrafficRoute", "tr-1", {
          ...rule(ANY, service("backend")),
          conf: to({ service: "backend", version: "v1" }),
        }),
        policy("TrafficRoute", "tr-2", {
          ...rule(service("web"), service("backend")),
          conf: to({ service: "backend", version: "v2" }),
        }),
      ]);
      const created = async (name: string) =>
        ((await api.get(`/meshes/demo/traffic-routes/${name}`)).json as { creationTime: string })
          .creationTime;
      const answer = await inspect("web-1", "demo", "?explain=true");
      expect(itemAt(answer, "outbound 127.0.0.1:10001").candidates).toEqual({
        TrafficRoute: [
          {
            name: "tr-2",
            rank: { exact: 2, wildcard: 0 },
            creationTime: await created("tr-2"),
            selected: true,
          },
          {
            name: "tr-1",
            rank: { exact: 1, wildcard: 1 },
            creationTime: await created("tr-1"),
            selected: false,
          },
        ],
      });
      expect(itemAt(answer, "outbound 127.0.0.1:10002").candidates).toEqual({});
      for (const query of ["", "?explain=false", "?explain=1", "?explain=TRUE"]) {
        const plain = await inspect("web-1", "demo", query);
        expect(
          (plain.json as { items: Item[] }).items.some((item) => "candidates" in item),
          query,
        ).toBe(false);
      }
    });

    it("13: a template without selectors applies where no other one does", async () => {
      const conf = { imports: ["default-proxy"] };
      await putAll(api, [
        policy("ProxyTemplate", "pt-all", { conf }),
        policy("ProxyTemplate", "pt-web", { selectors: [{ match: service("web") }], conf }),
      ]);
      const answer = await api.get("/meshes/demo/proxytemplates/pt-all/dataplanes");
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({
        total: 4,
        items: ["backend-1", "backend-2", "gw-1", "redis-1"].map((name) => ({
          dataplane: { mesh: "demo", name },
          attachments: [{ type: "dataplane" }],
        })),
        next: null,
      });
      const whole = itemAt(await inspect("web-1"), "dataplane");
      expect(names(whole)).toEqual({ ProxyTemplate: ["pt-web"] });
      expect(whole.effective).toEqual({ tracingBackend: null, proxyTemplate: "pt-web" });
    });

    it("15: every matching permission applies at an inbound, listed by the policy too", async () => {
      await putAll(api, [
        policy("TrafficPermission", "tp-1", rule(service("web"), service("backend"))),
        policy("TrafficPermission", "tp-2", rule(ANY, ANY)),
        policy("TrafficPermission", "tp-3", rule(service("redis"), service("redis"))),
      ]);
      const answer = await inspect("backend-1");
      const backend = itemAt(answer, "inbound 10.0.0.2:9090:90");
      expect(names(backend)).toEqual({ TrafficPermission: ["tp-1", "tp-2"] });
      expect(backend.effective).toEqual({ rbac: false, allowedSources: ["*", "web"] });
      const admin = itemAt(answer, "inbound 10.0.0.2:9091:91");
      expect(names(admin)).toEqual({ TrafficPermission: ["tp-2"] });
      expect(admin.effective).toEqual({ rbac: false, allowedSources: ["*"] });
      expect(names(itemAt(answer, "dataplane"))).toEqual({});
      expect(names(itemAt(answer, "outbound 127.0.0.1:10002"))).toEqual({});
      expect((await api.get("/meshes/demo/traffic-permissions/tp-1/dataplanes")).json).toEqual({
        total: 2,
        items: [
          {
            dataplane: { mesh: "demo", name: "backend-1" },
            attachments: [{ type: "inbound", name: "10.0.0.2:9090:90", service: "backend" }],
          },
          {
            dataplane: { mesh: "demo", name: "backend-2" },
            attachments: [{ type: "inbound", name: "10.0.0.3:9090:90", service: "backend" }],
          },
        ],
        next: null,
      });
    });

    it("never shows a policy of another mesh (I4)", async () => {
      await putAll(api, [
        policy("TrafficTrace", "tt", { selectors: [{ match: ANY }] }, "secure"),
        policy("TrafficPermission", "tp", rule(ANY, ANY), "secure"),
      ]);
      const answer = await inspect("web-1");
      expect((answer.json as { items: Item[] }).items.map(names)).toEqual([{}, {}, {}, {}, {}, {}]);
      expect((await api.get("/meshes/secure/traffic-traces/tt/dataplanes")).json).toMatchObject({
        total: 1,
        items: [{ dataplane: { mesh: "secure", name: "api-1" } }],
      });
    });

    it("18: an inbound of an mTLS mesh without permissions denies everything", async () => {
      const answer = await inspect("api-1", "secure");
      const inbound = itemAt(answer, "inbound 10.1.0.1:7070:70");
      expect(inbound.matchedPolicies).toEqual({});
      expect(inbound.effective).toEqual({ rbac: true, allowedSources: [] });
    });

    it("20: the most specific log per outbound, with its backend or the mesh's default", async () => {
      await putAll(api, [
        policy("TrafficLog", "tl-all", rule(ANY, ANY)),
        policy("TrafficLog", "tl-wb", {
          ...rule(service("web"), service("backend")),
          conf: { backend: "file2" },
        }),
      ]);
      const logAt = async (dataplane: string, outbound: string) => {
        const item = itemAt(await inspect(dataplane), `outbound ${outbound}`);
        return [names(item), (item.effective as { logBackend: unknown }).logBackend];
      };
      expect(await logAt("web-1", "127.0.0.1:10001")).toEqual([{ TrafficLog: ["tl-wb"] }, "file2"]);
      expect(await logAt("web-1", "127.0.0.1:10002")).toEqual([
        { TrafficLog: ["tl-all"] },
        "file1",
      ]);
      expect(await logAt("backend-1", "127.0.0.1:10002")).toEqual([
        { TrafficLog: ["tl-all"] },
        "file1",
      ]);
      expect(await logAt("gw-1", "127.0.0.1:10003")).toEqual([{ TrafficLog: ["tl-all"] }, "file1"]);
      expect((await api.get("/meshes/demo/traffic-logs/tl-all/dataplanes")).json).toEqual({
        total: 3,
        items: [
          {
            dataplane: { mesh: "demo", name: "backend-1" },
            attachments: [{ type: "outbound", name: "127.0.0.1:10002", service: "redis" }],
          },
          {
            dataplane: { mesh: "demo", name: "gw-1" },
            attachments: [{ type: "outbound", name: "127.0.0.1:10003", service: "web" }],
          },
          {
            dataplane: { mesh: "demo", name: "web-1" },
            attachments: [{ type: "outbound", name: "127.0.0.1:10002", service: "redis" }],
          },
        ],
        next: null,
      });
    });
  });

  describe("§3: where a policy applies", () => {
    it("lists health-checked services as service attachments, and dataplane-only items with one attachment", async () => {
      await putAll(api, [
        policy("HealthCheck", "hc-redis", {
          ...rule(ANY, service("redis")),
          conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
        }),
        policy("TrafficTrace", "tt-backend", { selectors: [{ match: service("backend") }] }),
      ]);
      expect((await api.get("/meshes/demo/health-checks/hc-redis/dataplanes")).json).toEqual({
        total: 2,
        items: ["backend-1", "web-1"].map((name) => ({
          dataplane: { mesh: "demo", name },
          attachments: [{ type: "service", name: "redis", service: "redis" }],
        })),
        next: null,
      });
      expect(
        (await api.get("/meshes/demo/traffic-traces/tt-backend/dataplanes")).json,
      ).toMatchObject({
        total: 2,
        items: [{ dataplane: { name: "backend-1" } }, { dataplane: { name: "backend-2" } }],
      });
    });

    it("answers an empty list for a policy that applies nowhere", async () => {
      await putAll(api, [
        policy("TrafficRoute", "nowhere", {
          ...rule(service("nobody"), ANY),
          conf: to(service("x")),
        }),
      ]);
      const answer = await api.get("/meshes/demo/traffic-routes/nowhere/dataplanes");
      expect(answer.status).toBe(200);
      expect(answer.json).toEqual({ total: 0, items: [], next: null });
    });

    it("pages like every list: size, an absolute next URL with an opaque offset, total of all", async () => {
      await putAll(api, [
        policy("ProxyTemplate", "pt-all", { conf: { imports: ["default-proxy"] } }),
      ]);
      const path = "/meshes/demo/proxytemplates/pt-all/dataplanes";
      const first = await api.get(`${path}?size=2`);
      expect(first.json).toMatchObject({
        total: 5,
        items: [{ dataplane: { name: "backend-1" } }, { dataplane: { name: "backend-2" } }],
      });
      const next = new URL((first.json as { next: string }).next);
      expect(next.origin + next.pathname).toBe(api.url + path);
      expect(next.searchParams.get("size")).toBe("2");
      const second = await api.get(next.pathname + next.search);
      expect(second.json).toMatchObject({
        total: 5,
        items: [{ dataplane: { name: "gw-1" } }, { dataplane: { name: "redis-1" } }],
      });
      const last = await api.get(
        new URL((second.json as { next: string }).next).pathname +
          new URL((second.json as { next: string }).next).search,
      );
      expect(last.json).toMatchObject({
        total: 5,
        items: [{ dataplane: { name: "web-1" } }],
        next: null,
      });
    });

    it("answers 400 to a bad size or offset, as lists do", async () => {
      await putAll(api, [
        policy("ProxyTemplate", "pt-all", { conf: { imports: ["default-proxy"] } }),
      ]);
      const path = "/meshes/demo/proxytemplates/pt-all/dataplanes";
      for (const size of ["0", "1001", "x", "-1", "1.5"]) {
        const answer = await api.get(`${path}?size=${size}`);
        expect(answer.status, size).toBe(400);
        expect(answer.json).toEqual({
          title: "Could not retrieve resources",
          details: "Bad Request",
          causes: [{ field: "size", message: "invalid page size" }],
        });
      }
      for (const offset of ["garbage", "bjpAQCM"]) {
        const answer = await api.get(`${path}?size=1&offset=${offset}`);
        expect(answer.status, offset).toBe(400);
        expect(answer.json).toEqual({
          title: "Could not retrieve resources",
          details: "Bad Request",
          causes: [{ field: "offset", message: "invalid offset" }],
        });
      }
    });
  });

  describe("errors", () => {
    it("answers 404 for a dataplane that is not in the mesh, or whose mesh does not exist", async () => {
      for (const path of [
        "/meshes/demo/dataplanes/nobody/policies",
        "/meshes/secure/dataplanes/web-1/policies",
        "/meshes/nowhere/dataplanes/web-1/policies",
        "/meshes/demo/dataplanes/NOT_VALID/policies",
      ]) {
        const answer = await api.get(path);
        expect(answer.status, path).toBe(404);
        expect(answer.json, path).toEqual({
          title: "Could not inspect a dataplane",
          details: "Not found",
        });
      }
    });

    it("answers 404 for a policy that does not exist in the mesh", async () => {
      await putAll(api, [
        policy("TrafficRoute", "tr", { ...rule(ANY, ANY), conf: to(service("x")) }, "secure"),
      ]);
      for (const path of [
        "/meshes/demo/traffic-routes/tr/dataplanes",
        "/meshes/nowhere/traffic-routes/tr/dataplanes",
        "/meshes/secure/traffic-logs/tr/dataplanes",
        "/meshes/demo/health-checks/Bad-Name/dataplanes",
      ]) {
        const answer = await api.get(path);
        expect(answer.status, path).toBe(404);
        expect(answer.json, path).toEqual({
          title: "Could not inspect a policy",
          details: "Not found",
        });
      }
    });

    it("has no policy route under dataplanes, their insights, the overview or an unknown collection", async () => {
      for (const collection of [
        "dataplanes",
        "dataplane-insights",
        "dataplanes+insights",
        "secrets",
      ]) {
        const answer = await api.get(`/meshes/demo/${collection}/web-1/dataplanes`);
        expect(answer.status, collection).toBe(404);
        expect(answer.json, collection).toEqual({
          title: "Not found",
          details: "no such API path",
        });
      }
      const typo = await api.get("/meshes/demo/traffic-route/tr/dataplanes");
      expect(typo.json).toEqual({
        title: "Not found",
        details: "no such API path, did you mean /meshes/demo/traffic-routes/tr/dataplanes?",
      });
    });

    it("answers other methods 405 with Allow, HEAD like GET without a body, and OPTIONS with Allow", async () => {
      for (const path of [
        "/meshes/demo/dataplanes/web-1/policies",
        "/meshes/demo/traffic-permissions/tp/dataplanes",
      ]) {
        for (const method of ["POST", "PUT", "DELETE", "PATCH"]) {
          const answer = await api.request(method, path, {
            headers: { "Content-Type": "application/json" },
            body: method === "DELETE" ? undefined : "{}",
          });
          expect(answer.status, `${method} ${path}`).toBe(405);
          expect(answer.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
          expect(answer.json).toEqual({
            title: "Method not allowed",
            details: `${method} is not supported on this path`,
          });
        }
        expect((await api.request("OPTIONS", path)).headers.get("allow")).toBe(
          "GET, HEAD, OPTIONS",
        );
      }
      const head = await fetch(`${api.url}/meshes/demo/dataplanes/web-1/policies`, {
        method: "HEAD",
      });
      expect(head.status).toBe(200);
      expect(head.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await head.text()).toBe("");
      const missing = await fetch(`${api.url}/meshes/demo/dataplanes/nobody/policies`, {
        method: "HEAD",
      });
      expect(missing.status).toBe(404);
    });

    it("answers 406 to an Accept that admits no JSON", async () => {
      const answer = await api.get("/meshes/demo/dataplanes/web-1/policies", {
        Accept: "text/html",
      });
      expect(answer.status).toBe(406);
    });
  });

  describe("what is read", () => {
    it("answers from what is stored now, on every replica", async () => {
      const peer = await startApi(backend, { store: backend.peerOf(api.store) });
      try {
        const tr = policy("TrafficRoute", "tr", {
          ...rule(ANY, service("backend")),
          conf: to(service("backend-v2")),
        });
        await putAll(api, [tr]);
        expect(
          names(
            itemAt(
              await peer.get("/meshes/demo/dataplanes/web-1/policies"),
              "outbound 127.0.0.1:10001",
            ),
          ),
        ).toEqual({
          TrafficRoute: ["tr"],
        });
        expect((await peer.get("/meshes/demo/traffic-routes/tr/dataplanes")).json).toMatchObject({
          total: 1,
        });
        expect((await api.delete(urlOf(tr))).status).toBe(200);
        expect(
          names(
            itemAt(
              await peer.get("/meshes/demo/dataplanes/web-1/policies"),
              "outbound 127.0.0.1:10001",
            ),
          ),
        ).toEqual({});
        expect((await peer.get("/meshes/demo/traffic-routes/tr/dataplanes")).status).toBe(404);
      } finally {
        await peer.close();
      }
    });
  });
});

describe.each(storeBackends())("inspection in read-only mode ($name store)", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("answers both endpoints as usual", async () => {
    const api = await startApi(backend, { env: { KUMA_API_SERVER_READ_ONLY: "true" } });
    try {
      // Writes go around the read-only API, straight into the store.
      for (const body of DEMO.filter((body) => body.mesh === "demo" || body.name === "demo"))
        await api.store.create(body as never);
      await api.store.create(
        policy("TrafficTrace", "tt", { selectors: [{ match: service("web") }] }) as never,
      );
      const answer = await api.get("/meshes/demo/dataplanes/web-1/policies");
      expect(answer.status).toBe(200);
      expect(itemAt(answer, "dataplane").effective).toEqual({
        tracingBackend: "zipkin-1",
        proxyTemplate: null,
      });
      expect((await api.get("/meshes/demo/traffic-traces/tt/dataplanes")).json).toMatchObject({
        total: 1,
      });
      const put = await api.request("PUT", "/meshes/demo/dataplanes/web-1/policies", {
        body: "{}",
      });
      expect(put.status).toBe(405);
      expect(put.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    } finally {
      await api.close();
    }
  });
});

describe("inspection of an orphan dataplane", () => {
  it("inspects it as if its mesh were empty: mTLS off, no backends", async () => {
    const backend = memoryBackend();
    const base = backend.createStore();
    // A crashed cascade on Redis can leave a dataplane without its mesh; here the mesh is hidden from reads.
    const store: ResourceStore = {
      ...base,
      get: ((type, mesh, name) =>
        type === MeshType
          ? Promise.resolve(undefined)
          : base.get(type, mesh, name)) as ResourceStore["get"],
    };
    const api = await startApi(backend, { store });
    try {
      await putAll(api, DEMO);
      await putAll(api, [
        policy("TrafficTrace", "tt", { selectors: [{ match: service("api") }] }, "secure"),
        policy("TrafficPermission", "tp", rule(service("web"), ANY), "secure"),
      ]);
      const answer = await api.get("/meshes/secure/dataplanes/api-1/policies");
      expect(itemAt(answer, "dataplane").effective).toEqual({
        tracingBackend: null,
        proxyTemplate: null,
      });
      expect(itemAt(answer, "inbound 10.1.0.1:7070:70").effective).toEqual({
        rbac: false,
        allowedSources: ["web"],
      });
    } finally {
      await api.close();
      await base.close();
    }
  });
});

describe("inspection while the store is unreachable", () => {
  it("answers 503 with the inspection titles (a store double)", async () => {
    const backend = memoryBackend();
    const api = await startApi(backend, {
      store: failingStore(["get", "list"], () => new StoreUnavailableError("down")),
    });
    try {
      expect((await api.get("/meshes/demo/dataplanes/web-1/policies")).json).toEqual({
        title: "Could not inspect a dataplane",
        details: "Service Unavailable",
      });
      const policyAnswer = await api.get("/meshes/demo/traffic-routes/tr/dataplanes");
      expect(policyAnswer.status).toBe(503);
      expect(policyAnswer.json).toEqual({
        title: "Could not inspect a policy",
        details: "Service Unavailable",
      });
    } finally {
      await api.close();
    }
  });

  it("answers 503 when a real Redis goes away", async () => {
    const redis = await startRedisServer();
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: "inspection-outage",
      commandTimeoutMs: 500,
    });
    const api = await startApi(memoryBackend(), { store });
    try {
      await putAll(api, DEMO);
      await putAll(api, [policy("TrafficTrace", "tt", { selectors: [{ match: ANY }] })]);
      expect((await api.get("/meshes/demo/dataplanes/web-1/policies")).status).toBe(200);
      await redis.stop();
      for (const [path, title] of [
        ["/meshes/demo/dataplanes/web-1/policies", "Could not inspect a dataplane"],
        ["/meshes/demo/traffic-traces/tt/dataplanes", "Could not inspect a policy"],
      ] as const) {
        const answer = await api.get(path);
        expect(answer.status, path).toBe(503);
        expect(answer.json, path).toEqual({ title, details: "Service Unavailable" });
      }
    } finally {
      await api.close();
      await store.close();
      await redis.stop();
    }
  });
});
