/** R1, R6 and R7 of inspection.md §1, one table per rule, and the §2 body around them. */
import { describe, expect, it } from "vitest";
import type { Dataplane } from "../resources/dataplane.js";
import type { Mesh } from "../resources/mesh.js";
import { inspectDataplane } from "./inspect-dataplane.js";
import type { Policy } from "./policies.js";
import type { InspectionItem } from "./schemas.js";
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

/** web-1's matched policy names per attachment (only attachments with something matched). */
function matchedAtWeb(
  policies: Policy[],
  dataplane = "web-1",
): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {};
  for (const item of inspectDemo(dataplane, policies).items) {
    const names = matchedNames(item);
    if (Object.keys(names).length > 0)
      result[item.type === "dataplane" ? "dataplane" : `${item.type} ${item.name}`] = names;
  }
  return result;
}

describe("R1: only policies of the dataplane's mesh", () => {
  it("leaves out policies of another mesh, even when they would match", () => {
    const foreign = policy(
      "TrafficRoute",
      "tr-x",
      { ...rule(ANY, ANY), conf: to(service("elsewhere")) },
      "secure",
    );
    const own = policy("TrafficTrace", "tt", { selectors: [{ match: ANY }] });
    expect(matchedAtWeb([foreign, own])).toEqual({ dataplane: { TrafficTrace: ["tt"] } });
  });
});

describe("R6: TrafficPermission at each inbound", () => {
  const cases: [string, Policy[], Record<string, Record<string, string[]>>][] = [
    [
      "destinations match the inbound's whole tag map",
      [policy("TrafficPermission", "v1-only", rule(ANY, { service: "backend", version: "v1" }))],
      { "inbound 10.0.0.2:9090:90": { TrafficPermission: ["v1-only"] } },
    ],
    [
      "a permission without sources applies nowhere",
      [policy("TrafficPermission", "no-sources", { destinations: [{ match: ANY }] })],
      {},
    ],
    [
      "every candidate applies, listed by name",
      [
        policy("TrafficPermission", "tp-b", rule(service("web"), ANY)),
        policy("TrafficPermission", "tp-a", rule(service("gw"), service("backend-admin"))),
        policy(
          "TrafficPermission",
          "tp-c",
          rule(service("x"), { service: "backend", version: "*" }),
        ),
      ],
      {
        "inbound 10.0.0.2:9090:90": { TrafficPermission: ["tp-b", "tp-c"] },
        "inbound 10.0.0.2:9091:91": { TrafficPermission: ["tp-a", "tp-b"] },
      },
    ],
    [
      "sources are peers, not this dataplane: they need not match it",
      [policy("TrafficPermission", "p", rule(service("nobody"), service("backend-admin")))],
      { "inbound 10.0.0.2:9091:91": { TrafficPermission: ["p"] } },
    ],
  ];
  it.each(cases)("%s", (_, policies, expected) => {
    expect(matchedAtWeb(policies, "backend-1")).toEqual(expected);
  });
});

describe("R6: TrafficRoute at each outbound", () => {
  const route = (
    name: string,
    source: Record<string, string>,
    destination: Record<string, string>,
    target = destination,
  ) => policy("TrafficRoute", name, { ...rule(source, destination), conf: to(target) });
  const cases: [string, Policy[], Record<string, Record<string, string[]>>][] = [
    [
      "sources match the dataplane and the destination the outbound's service",
      [
        route("r", service("web"), service("backend")),
        route("other-source", service("gw"), service("backend")),
      ],
      { "outbound 127.0.0.1:10001": { TrafficRoute: ["r"] } },
    ],
    [
      "the highest rank of source plus destination wins",
      [
        route("wide", ANY, ANY),
        route("narrow", { service: "web", version: "v1" }, service("redis")),
      ],
      {
        "outbound 127.0.0.1:10001": { TrafficRoute: ["wide"] },
        "outbound 127.0.0.1:10002": { TrafficRoute: ["narrow"] },
      },
    ],
    [
      "more tags win even when they are wildcards",
      [route("exact", service("web"), ANY), route("more", { service: "*", version: "*" }, ANY)],
      {
        "outbound 127.0.0.1:10001": { TrafficRoute: ["more"] },
        "outbound 127.0.0.1:10002": { TrafficRoute: ["more"] },
      },
    ],
    [
      "ties go to the lowest name, whatever the creation order",
      [
        route("tr-b", service("web"), service("redis")),
        route("tr-a", service("web"), service("redis")),
      ],
      { "outbound 127.0.0.1:10002": { TrafficRoute: ["tr-a"] } },
    ],
    [
      "the best of several sources and destinations counts",
      [
        policy("TrafficRoute", "multi", {
          sources: [{ match: ANY }, { match: { service: "web", version: "v1" } }],
          destinations: [{ match: ANY }, { match: service("redis") }],
          conf: to(service("redis")),
        }),
        route("plain", { service: "web", version: "v1" }, service("backend")),
      ],
      {
        "outbound 127.0.0.1:10001": { TrafficRoute: ["plain"] },
        "outbound 127.0.0.1:10002": { TrafficRoute: ["multi"] },
      },
    ],
    [
      "a destination with other tags than service never matches",
      [route("v", service("web"), { service: "redis", version: "v1" })],
      {},
    ],
  ];
  it.each(cases)("%s", (_, policies, expected) => {
    expect(matchedAtWeb(policies)).toEqual(expected);
  });

  it("reports the implicit default route when none matches", () => {
    const redis = itemAt(inspectDemo("web-1", []), "outbound 127.0.0.1:10002");
    expect(redis.effective).toEqual({
      route: { implicit: true, conf: to(service("redis")) },
      logBackend: null,
    });
  });

  it("gives two outbounds of one service the same decisions", () => {
    const dataplane: Dataplane = {
      type: "Dataplane",
      mesh: "demo",
      name: "twice",
      networking: {
        address: "10.0.0.8",
        inbound: [{ port: 1, tags: { service: "web" } }],
        outbound: [
          { port: 1, service: "db" },
          { port: 2, service: "db" },
        ],
      },
    };
    const inspection = inspectDataplane({
      dataplane,
      mesh: undefined,
      policies: meshPolicies([route("db", ANY, service("db"))]),
    });
    const outbounds = inspection.items.filter((item) => item.type === "outbound");
    expect(outbounds.map((item) => [item.name, matchedNames(item)])).toEqual([
      ["127.0.0.1:1", { TrafficRoute: ["db"] }],
      ["127.0.0.1:2", { TrafficRoute: ["db"] }],
    ]);
  });
});

describe("R6: TrafficLog, HealthCheck, TrafficTrace and ProxyTemplate", () => {
  it("chooses one TrafficLog per outbound, like a route", () => {
    const policies = [
      policy("TrafficLog", "all", rule(ANY, ANY)),
      policy("TrafficLog", "redis", rule(service("web"), service("redis"))),
    ];
    expect(matchedAtWeb(policies)).toEqual({
      "outbound 127.0.0.1:10001": { TrafficLog: ["all"] },
      "outbound 127.0.0.1:10002": { TrafficLog: ["redis"] },
    });
  });

  it("health-checks the services the routes reach, weight-0 entries and implicit routes included", () => {
    const policies = [
      policy("TrafficRoute", "split", {
        ...rule(ANY, service("backend")),
        conf: [
          { weight: 100, destination: { service: "backend-v2", version: "v2" } },
          { weight: 0, destination: service("backend-dark") },
        ],
      }),
      policy("HealthCheck", "dark", { ...rule(ANY, service("backend-dark")), conf: HEALTH }),
      policy("HealthCheck", "outbound-service", { ...rule(ANY, service("backend")), conf: HEALTH }),
      policy("HealthCheck", "redis", { ...rule(service("web"), service("redis")), conf: HEALTH }),
      policy("HealthCheck", "redis-wide", { ...rule(ANY, ANY), conf: HEALTH }),
    ];
    const inspection = inspectDemo("web-1", policies);
    const services = inspection.items.filter((item) => item.type === "service");
    expect(services.map((item) => [item.name, matchedNames(item)])).toEqual([
      ["backend-dark", { HealthCheck: ["dark"] }],
      ["backend-v2", { HealthCheck: ["redis-wide"] }],
      ["redis", { HealthCheck: ["redis"] }],
    ]);
  });

  it("chooses one TrafficTrace by its best matching selector", () => {
    const policies = [
      policy("TrafficTrace", "any", { selectors: [{ match: ANY }] }),
      policy("TrafficTrace", "web-v1", {
        selectors: [{ match: { service: "web", version: "v1" } }],
      }),
      policy("TrafficTrace", "web-v2", {
        selectors: [{ match: { service: "web", version: "v2" } }],
      }),
    ];
    expect(matchedAtWeb(policies)).toEqual({ dataplane: { TrafficTrace: ["web-v1"] } });
    expect(matchedAtWeb(policies, "gw-1")).toEqual({ dataplane: { TrafficTrace: ["any"] } });
  });

  it("matches a ProxyTemplate without selectors, or with an empty one, at the lowest rank", () => {
    const conf = { imports: ["default-proxy"] };
    const policies = [
      policy("ProxyTemplate", "b-none", { conf }),
      policy("ProxyTemplate", "a-empty", { selectors: [{ match: {} }], conf }),
    ];
    const whole = itemAt(inspectDemo("web-1", policies, true), "dataplane");
    expect(
      whole.candidates?.ProxyTemplate?.map(({ name, rank, selected }) => ({
        name,
        rank,
        selected,
      })),
    ).toEqual([
      { name: "a-empty", rank: { exact: 0, wildcard: 0 }, selected: true },
      { name: "b-none", rank: { exact: 0, wildcard: 0 }, selected: false },
    ]);
    expect(whole.effective).toEqual({ tracingBackend: null, proxyTemplate: "a-empty" });
  });
});

describe("R7: effects", () => {
  const mesh = (spec: Omit<Mesh, "type" | "name">): Mesh => ({
    type: "Mesh",
    name: "demo",
    ...spec,
  });
  const web = demo.dataplanes.get("web-1")!;
  const inspectWith = (meshSpec: Mesh | undefined, policies: Policy[]) =>
    inspectDataplane({ dataplane: web, mesh: meshSpec, policies: meshPolicies(policies) });
  const effectAt = (items: InspectionItem[], type: string) =>
    items.find((item) => item.type === type)!.effective;

  const permissions = [
    policy("TrafficPermission", "p1", {
      sources: [{ match: service("b") }, { match: service("a") }],
      destinations: [{ match: ANY }],
    }),
    policy("TrafficPermission", "p2", rule(service("a"), service("web"))),
  ];
  it.each<[string, Mesh | undefined, Policy[], unknown]>([
    [
      "not enforced without mTLS; the union is informative",
      mesh({}),
      permissions,
      { rbac: false, allowedSources: ["a", "b"] },
    ],
    [
      "enforced under mTLS",
      mesh({ mtls: { enabled: true } }),
      permissions,
      { rbac: true, allowedSources: ["a", "b"] },
    ],
    [
      "under mTLS no permission denies everything",
      mesh({ mtls: { enabled: true } }),
      [],
      { rbac: true, allowedSources: [] },
    ],
    [
      "an orphan dataplane is inspected as if its mesh were empty",
      undefined,
      permissions,
      { rbac: false, allowedSources: ["a", "b"] },
    ],
  ])("TrafficPermission: %s", (_, meshSpec, policies, expected) => {
    expect(effectAt(inspectWith(meshSpec, policies).items, "inbound")).toEqual(expected);
  });

  const logging = mesh({
    logging: {
      defaultBackend: "file1",
      backends: [
        { name: "file1", file: { path: "/a" } },
        { name: "file2", file: { path: "/b" } },
      ],
    },
  });
  const log = (name: string, backend: string | undefined, source = ANY) =>
    policy("TrafficLog", name, {
      ...rule(source, service("backend")),
      ...(backend ? { conf: { backend } } : {}),
    });
  it.each<[string, Mesh | undefined, Policy[], string | null]>([
    ["its own backend", logging, [log("l", "file2")], "file2"],
    ["the mesh's default when it names none", logging, [log("l", undefined)], "file1"],
    ["nothing when its backend is not the mesh's", logging, [log("l", "missing")], null],
    [
      "no fallback to a losing TrafficLog whose backend resolves",
      logging,
      [log("winner", "missing", service("web")), log("loser", "file2")],
      null,
    ],
    ["nothing without a TrafficLog", logging, [], null],
    ["nothing in an orphan's empty mesh", undefined, [log("l", "file2")], null],
  ])("TrafficLog backend: %s", (_, meshSpec, policies, expected) => {
    const outbound = inspectWith(meshSpec, policies).items.find(
      (item) => item.type === "outbound",
    )!;
    expect((outbound.effective as { logBackend: string | null }).logBackend).toBe(expected);
  });

  const tracing = mesh({
    tracing: {
      defaultBackend: "zipkin-1",
      backends: [{ name: "zipkin-1", zipkin: { url: "http://z:9411/" } }],
    },
  });
  const trace = (name: string, backend?: string) =>
    policy("TrafficTrace", name, {
      selectors: [{ match: service("web") }],
      ...(backend ? { conf: { backend } } : {}),
    });
  it.each<[string, Mesh | undefined, Policy[], string | null]>([
    ["the mesh's default", tracing, [trace("t")], "zipkin-1"],
    ["its own backend when the mesh has it", tracing, [trace("t", "zipkin-1")], "zipkin-1"],
    [
      "no tracing when it does not resolve, and no fallback",
      tracing,
      [trace("a", "zipkin-9"), trace("b")],
      null,
    ],
    ["no tracing without a TrafficTrace", tracing, [], null],
  ])("TrafficTrace backend: %s", (_, meshSpec, policies, expected) => {
    expect(effectAt(inspectWith(meshSpec, policies).items, "dataplane")).toMatchObject({
      tracingBackend: expected,
    });
  });

  it("reports the winning route's conf verbatim", () => {
    const conf = [
      { weight: 0, destination: { service: "backend", version: "v1" } },
      { weight: 7, destination: service("b2") },
    ];
    const outbound = inspectWith(undefined, [
      policy("TrafficRoute", "r", { ...rule(ANY, service("backend")), conf }),
    ]).items.find((item) => item.type === "outbound")!;
    expect(outbound.effective).toEqual({ route: { implicit: false, conf }, logBackend: null });
  });

  it("reports the built-in default proxy template as null", () => {
    expect(effectAt(inspectWith(undefined, []).items, "dataplane")).toEqual({
      tracingBackend: null,
      proxyTemplate: null,
    });
  });
});

describe("the §2 body", () => {
  it("lists a gateway's outbounds and reachable services, and no inbound", () => {
    expect(
      inspectDemo("gw-1").items.map((item) =>
        item.type === "dataplane" ? item.type : `${item.type} ${item.name}`,
      ),
    ).toEqual(["dataplane", "outbound 127.0.0.1:10003", "service web"]);
  });

  it("adds candidates only with explain, every TrafficPermission selected and without rank", () => {
    const policies = [policy("TrafficPermission", "tp", rule(ANY, ANY))];
    expect(inspectDemo("web-1", policies).items.some((item) => "candidates" in item)).toBe(false);
    const explained = inspectDemo("web-1", policies, true);
    expect(explained.items.every((item) => "candidates" in item)).toBe(true);
    expect(itemAt(explained, "inbound 10.0.0.1:8080:80").candidates).toEqual({
      TrafficPermission: [{ name: "tp", creationTime: policies[0]!.creationTime, selected: true }],
    });
    expect(itemAt(explained, "service backend").candidates).toEqual({});
  });
});
