import type { DataplaneOverview } from "@kuma-ts/model";
import { describe, expect, it } from "vitest";
import { formatCount, isPositive, sumCounters } from "./counters.js";
import { configLeaves, searchConfig } from "./config-tree.js";
import { dataplaneStatus, STALE_AFTER_MS } from "./dataplane-status.js";
import { routeOfLegacyHash } from "./legacy-links.js";
import { routeSplit } from "./policy-summaries.js";
import { parseTagFilter, tagsFromQuery } from "./tag-filter.js";
import { absoluteTime, relativeTime } from "./time.js";
import { xdsTotals } from "./xds-counters.js";

const NOW = Date.parse("2024-05-01T12:00:00Z");
const at = (minutesAgo: number) => new Date(NOW - minutesAgo * 60_000).toISOString();
const overview = (insight: DataplaneOverview["dataplaneInsight"]): DataplaneOverview => ({
  type: "DataplaneOverview",
  mesh: "m",
  name: "dp",
  dataplane: {},
  dataplaneInsight: insight,
});

describe("dataplane status", () => {
  it("is Never connected without an insight ({} from the item endpoint) or without subscriptions", () => {
    expect(dataplaneStatus(overview({}), NOW)).toMatchObject({
      kind: "never",
      label: "Never connected",
    });
    expect(dataplaneStatus(overview({ subscriptions: [] }), NOW).kind).toBe("never");
    const listItem = {
      type: "DataplaneOverview",
      mesh: "m",
      name: "dp",
      dataplane: {},
    } as unknown as DataplaneOverview;
    expect(dataplaneStatus(listItem, NOW).kind).toBe("never");
  });

  it("is Online when some subscription is connected and not disconnected", () => {
    const status = dataplaneStatus(
      overview({
        subscriptions: [
          { id: "old", connectTime: at(90), disconnectTime: at(60) },
          {
            id: "new",
            controlPlaneInstanceId: "cp-2",
            connectTime: at(30),
            status: { lastUpdateTime: at(1) },
          },
        ],
      }),
      NOW,
    );
    expect(status).toMatchObject({
      kind: "online",
      label: "Online",
      controlPlane: "cp-2",
      lastConnected: at(30),
    });
  });

  it("is Offline when every subscription is disconnected, last seen at the latest disconnect", () => {
    const status = dataplaneStatus(
      overview({
        subscriptions: [
          { connectTime: at(90), disconnectTime: at(60) },
          { connectTime: at(50), disconnectTime: at(40) },
        ],
      }),
      NOW,
    );
    expect(status).toMatchObject({ kind: "offline", label: "Offline", lastSeen: at(40) });
  });

  it("is Online (stale?) past exactly 5 minutes without an acknowledged update", () => {
    expect(STALE_AFTER_MS).toBe(5 * 60 * 1000);
    const withUpdate = (ms: number) =>
      overview({
        subscriptions: [
          { connectTime: at(60), status: { lastUpdateTime: new Date(NOW - ms).toISOString() } },
        ],
      });
    expect(dataplaneStatus(withUpdate(STALE_AFTER_MS), NOW).kind).toBe("online");
    const stale = dataplaneStatus(withUpdate(STALE_AFTER_MS + 60_000), NOW);
    expect(stale).toMatchObject({
      kind: "stale",
      label: "Online (stale?)",
      explanation: "no config update acknowledged for 6 min",
    });
  });
});

describe("counters", () => {
  it('sums "3" and "5" to 8', () => {
    expect(sumCounters(["3", "5"])).toBe("8");
    expect(
      xdsTotals(
        overview({
          subscriptions: [
            { status: { total: { responsesSent: "3" } } },
            { status: { total: { responsesSent: "5", responsesRejected: "1" } } },
          ],
        }),
      ),
    ).toEqual({ sent: "8", rejected: "1" });
  });

  it("keeps every digit beyond 2^53 and counts missing values as 0", () => {
    expect(sumCounters(["9007199254740993", "10"])).toBe("9007199254741003");
    expect(sumCounters([undefined, "2"])).toBe("2");
    expect(formatCount("1234567")).toBe("1,234,567");
    expect(isPositive("0")).toBe(false);
    expect(isPositive("007")).toBe(true);
  });
});

describe("times", () => {
  it("are relative with the exact UTC time for tooltips, and never when missing", () => {
    expect(relativeTime(at(3), NOW)).toBe("3 min ago");
    expect(relativeTime(at(0), NOW)).toBe("just now");
    expect(relativeTime(at(-120), NOW)).toBe("in 2 h");
    expect(relativeTime(undefined, NOW)).toBe("never");
    expect(absoluteTime("2024-05-01T12:04:31.000Z")).toBe("2024-05-01T12:04:31Z");
  });
});

describe("the tag filter", () => {
  it("splits terms on their first ':' so that values may hold ':'", () => {
    expect(parseTagFilter("service:web url:http://x:1")).toEqual({
      tags: { service: "web", url: "http://x:1" },
      problem: undefined,
    });
    expect(parseTagFilter("  version:*  ").tags).toEqual({ version: "*" });
  });

  it("refuses a term without ':' (the API would ignore it) and a key given twice", () => {
    expect(parseTagFilter("service").problem).toBe('"service" is not key:value');
    expect(parseTagFilter(":web").problem).toBe('":web" is not key:value');
    expect(parseTagFilter("a:1 a:2").problem).toBe('the key "a" is given twice');
  });

  it("reads one or many tag parameters of the URL", () => {
    expect(tagsFromQuery("service:web")).toEqual({ service: "web" });
    expect(tagsFromQuery(["service:web", "version:v1"])).toEqual({ service: "web", version: "v1" });
    expect(tagsFromQuery(undefined)).toEqual({});
  });
});

describe("legacy links", () => {
  it("map Kuma 0.4's hash routes to history routes", () => {
    expect(routeOfLegacyHash("#/default/dataplanes")).toBe("/meshes/default/dataplanes");
    expect(routeOfLegacyHash("#/default/traffic-routes/r1")).toBe(
      "/meshes/default/traffic-routes/r1",
    );
    expect(routeOfLegacyHash("#/default/overview")).toBe("/meshes/default");
    expect(routeOfLegacyHash("#/overview")).toBe("/");
    expect(routeOfLegacyHash("#/")).toBe("/");
    expect(routeOfLegacyHash("")).toBeUndefined();
    expect(routeOfLegacyHash("#section")).toBeUndefined();
  });
});

describe("route splits", () => {
  it("are computed from weight / sum, weight 0 said honestly", () => {
    const conf = (weights: number[]) =>
      weights.map((weight, i) => ({ weight, destination: { service: "b", version: `v${i + 1}` } }));
    expect(routeSplit(conf([90, 10]))).toBe("v1 90 % · v2 10 %");
    expect(routeSplit(conf([1, 2]))).toBe("v1 33.3 % · v2 66.7 %");
    expect(routeSplit(conf([100, 0]))).toBe("v1 100 % · v2 0 % (weight 0)");
    expect(routeSplit([{ weight: 100, destination: { service: "b" } }])).toBe("service=b 100 %");
  });
});

describe("the configuration tree", () => {
  it("finds a key by part of its path, with the full path", () => {
    const leaves = configLeaves({
      apiServer: { readOnly: false, corsAllowedDomains: [".*"] },
      store: { type: "memory" },
    });
    expect(searchConfig(leaves, "readonly")).toEqual([
      { path: "apiServer.readOnly", value: "false" },
    ]);
    expect(searchConfig(leaves, "memory")).toEqual([{ path: "store.type", value: '"memory"' }]);
    expect(leaves).toContainEqual({ path: "apiServer.corsAllowedDomains[0]", value: '".*"' });
  });
});
