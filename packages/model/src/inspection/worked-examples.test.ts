/** The worked examples of inspection.md §7, on the pure functions (the server's tests run them over HTTP). */
import { describe, expect, it } from "vitest";
import type { Dataplane } from "../resources/dataplane.js";
import { policyAttachments } from "./policy-dataplanes.js";
import type { Policy } from "./policies.js";
import {
  ANY,
  demo,
  inspectDemo,
  itemAt,
  matchedNames,
  meshPolicies,
  policy,
  rule,
  service,
  to,
} from "./test-support/fixtures.js";

const HEALTH = { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } };

/** The dataplanes a policy applies to, with their attachments, as `…/{policy}/dataplanes` lists them. */
function appliesTo(target: Policy, all: readonly Policy[]) {
  const where = policyAttachments(target, meshPolicies(all));
  return [...demo.dataplanes.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((dataplane: Dataplane) => ({ dataplane: dataplane.name, attachments: where(dataplane) }))
    .filter((item) => item.attachments.length > 0);
}

describe("inspection.md §7, worked examples", () => {
  it("1: without policies, every attachment is listed with nothing matched and the defaults in effect", () => {
    const inspection = inspectDemo("web-1");
    expect(inspection).toEqual({
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
          effective: { route: { implicit: true, conf: to(service("backend")) }, logBackend: null },
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

  describe("3: the route with more exact tags wins", () => {
    const tr1 = policy("TrafficRoute", "tr-1", {
      ...rule(ANY, service("backend")),
      conf: to({ service: "backend", version: "v1" }),
    });
    const tr2 = policy("TrafficRoute", "tr-2", {
      ...rule(service("web"), service("backend")),
      conf: to({ service: "backend", version: "v2" }),
    });

    it("answers the whole body of §7.1 for web-1, keys in the documented order", () => {
      const expected = {
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
            matchedPolicies: {
              TrafficRoute: [
                {
                  type: "TrafficRoute",
                  mesh: "demo",
                  name: "tr-2",
                  creationTime: tr2.creationTime,
                  modificationTime: tr2.modificationTime,
                  sources: [{ match: { service: "web" } }],
                  destinations: [{ match: { service: "backend" } }],
                  conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
                },
              ],
            },
            effective: {
              route: {
                implicit: false,
                conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
              },
              logBackend: null,
            },
          },
          {
            type: "outbound",
            name: "127.0.0.1:10002",
            service: "redis",
            matchedPolicies: {},
            effective: {
              route: { implicit: true, conf: [{ weight: 100, destination: { service: "redis" } }] },
              logBackend: null,
            },
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
      };
      expect(JSON.stringify(inspectDemo("web-1", [tr1, tr2]))).toBe(JSON.stringify(expected));
    });

    it("explains the decision: tr-2 at (2,0) before tr-1 at (1,1)", () => {
      expect(
        itemAt(inspectDemo("web-1", [tr1, tr2], true), "outbound 127.0.0.1:10001").candidates,
      ).toEqual({
        TrafficRoute: [
          {
            name: "tr-2",
            rank: { exact: 2, wildcard: 0 },
            creationTime: tr2.creationTime,
            selected: true,
          },
          {
            name: "tr-1",
            rank: { exact: 1, wildcard: 1 },
            creationTime: tr1.creationTime,
            selected: false,
          },
        ],
      });
    });
  });

  it("13: a template without selectors loses to one that selects the dataplane", () => {
    const conf = { imports: ["default-proxy"] };
    const ptAll = policy("ProxyTemplate", "pt-all", { conf });
    const ptWeb = policy("ProxyTemplate", "pt-web", {
      selectors: [{ match: service("web") }],
      conf,
    });
    const policies = [ptAll, ptWeb];
    expect(appliesTo(ptAll, policies)).toEqual(
      ["backend-1", "backend-2", "gw-1", "redis-1"].map((dataplane) => ({
        dataplane,
        attachments: [{ type: "dataplane" }],
      })),
    );
    const whole = itemAt(inspectDemo("web-1", policies), "dataplane");
    expect(matchedNames(whole)).toEqual({ ProxyTemplate: ["pt-web"] });
    expect(whole.effective).toMatchObject({ proxyTemplate: "pt-web" });
  });

  it("15: every matching permission applies at an inbound, and only at inbounds", () => {
    const policies = [
      policy("TrafficPermission", "tp-1", rule(service("web"), service("backend"))),
      policy("TrafficPermission", "tp-2", rule(ANY, ANY)),
      policy("TrafficPermission", "tp-3", rule(service("redis"), service("redis"))),
    ];
    const inspection = inspectDemo("backend-1", policies);
    const backend = itemAt(inspection, "inbound 10.0.0.2:9090:90");
    expect(matchedNames(backend)).toEqual({ TrafficPermission: ["tp-1", "tp-2"] });
    expect(backend.effective).toEqual({ rbac: false, allowedSources: ["*", "web"] });
    const admin = itemAt(inspection, "inbound 10.0.0.2:9091:91");
    expect(matchedNames(admin)).toEqual({ TrafficPermission: ["tp-2"] });
    expect(admin.effective).toEqual({ rbac: false, allowedSources: ["*"] });
    for (const item of inspection.items.filter((item) => item.type !== "inbound")) {
      expect(item.matchedPolicies).not.toHaveProperty("TrafficPermission");
    }
  });

  it("18: an inbound of an mTLS mesh without any permission denies every connection", () => {
    const inspection = inspectDemo("api-1");
    const inbound = itemAt(inspection, "inbound 10.1.0.1:7070:70");
    expect(inbound.matchedPolicies).toEqual({});
    expect(inbound.effective).toEqual({ rbac: true, allowedSources: [] });
  });

  it("20: the most specific log wins per outbound, its backend or the mesh's default", () => {
    const policies = [
      policy("TrafficLog", "tl-all", rule(ANY, ANY)),
      policy("TrafficLog", "tl-wb", {
        ...rule(service("web"), service("backend")),
        conf: { backend: "file2" },
      }),
    ];
    const logAt = (dataplane: string, outbound: string) => {
      const item = itemAt(inspectDemo(dataplane, policies), `outbound ${outbound}`);
      return {
        matched: matchedNames(item),
        backend: (item.effective as { logBackend: string | null }).logBackend,
      };
    };
    expect(logAt("web-1", "127.0.0.1:10001")).toEqual({
      matched: { TrafficLog: ["tl-wb"] },
      backend: "file2",
    });
    expect(logAt("web-1", "127.0.0.1:10002")).toEqual({
      matched: { TrafficLog: ["tl-all"] },
      backend: "file1",
    });
    expect(logAt("backend-1", "127.0.0.1:10002")).toEqual({
      matched: { TrafficLog: ["tl-all"] },
      backend: "file1",
    });
    expect(logAt("gw-1", "127.0.0.1:10003")).toEqual({
      matched: { TrafficLog: ["tl-all"] },
      backend: "file1",
    });
    for (const dataplane of ["web-1", "backend-1", "gw-1"]) {
      for (const item of inspectDemo(dataplane, policies).items.filter(
        (item) => item.type === "inbound",
      )) {
        expect(item.matchedPolicies).not.toHaveProperty("TrafficLog");
      }
    }
  });

  it("names the health-checked services from the routes: tr-2's conf makes `backend` reachable", () => {
    const policies = [
      policy("TrafficRoute", "split", {
        ...rule(service("web"), service("backend")),
        conf: [
          { weight: 90, destination: service("backend") },
          { destination: service("backend-canary") },
        ],
      }),
      policy("HealthCheck", "hc-1", { ...rule(ANY, service("backend-canary")), conf: HEALTH }),
    ];
    const inspection = inspectDemo("web-1", policies);
    expect(
      inspection.items.filter((item) => item.type === "service").map((item) => item.service),
    ).toEqual(["backend", "backend-canary", "redis"]);
    expect(matchedNames(itemAt(inspection, "service backend-canary"))).toEqual({
      HealthCheck: ["hc-1"],
    });
  });
});
