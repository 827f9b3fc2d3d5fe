import type { DataplaneOverview } from "@kuma-ts/model";
import { describe, expect, it } from "vitest";
import type { ChangeEvent } from "./change-feed.js";
import { applyToTally, countTally, statusesOf, tallyOf } from "./dataplane-tally.js";

const NOW = Date.parse("2026-01-01T12:00:00Z");
const connected = {
  subscriptions: [
    {
      id: "s",
      controlPlaneInstanceId: "cp",
      connectTime: "2026-01-01T11:59:00Z",
      status: { lastUpdateTime: "2026-01-01T11:59:30Z" },
    },
  ],
};
const disconnected = {
  subscriptions: [
    {
      id: "s",
      controlPlaneInstanceId: "cp",
      connectTime: "2026-01-01T10:00:00Z",
      disconnectTime: "2026-01-01T11:00:00Z",
    },
  ],
};
const overview = (name: string, insight: object): DataplaneOverview =>
  ({
    type: "DataplaneOverview",
    mesh: "m",
    name,
    dataplane: {},
    dataplaneInsight: insight,
  }) as unknown as DataplaneOverview;
const event = (
  kind: "created" | "updated" | "deleted",
  type: string,
  name: string,
  resource?: object,
): ChangeEvent =>
  kind === "deleted"
    ? { kind, type, mesh: "m", name, version: "1" }
    : { kind, type, mesh: "m", name, version: "1", resource };

describe("a mesh's dataplane tally", () => {
  const read = () => tallyOf(statusesOf([overview("a", connected), overview("b", {})], NOW));

  it("counts a read by status", () => {
    expect(countTally(read())).toEqual({
      total: 2,
      byStatus: { online: 1, stale: 0, offline: 0, never: 1 },
      unknown: 0,
    });
  });

  it("follows the insights and the dataplanes name by name; the last write of a name wins", () => {
    const tally = read();
    expect(applyToTally(tally, event("updated", "DataplaneInsight", "a", disconnected), NOW)).toBe(
      true,
    );
    expect(applyToTally(tally, event("created", "DataplaneInsight", "b", connected), NOW)).toBe(
      true,
    );
    expect(applyToTally(tally, event("deleted", "Dataplane", "a"), NOW)).toBe(true);
    expect(countTally(tally)).toEqual({
      total: 1,
      byStatus: { online: 1, stale: 0, offline: 0, never: 0 },
      unknown: 0,
    });
    // Again (an event the read already saw): nothing changes.
    expect(applyToTally(tally, event("deleted", "Dataplane", "a"), NOW)).toBe(false);
    expect(applyToTally(tally, event("updated", "Dataplane", "b", {}), NOW)).toBe(false);
    expect(applyToTally(tally, event("created", "TrafficRoute", "b", {}), NOW)).toBe(false);
  });

  it("keeps an insight whose dataplane is deleted, for a dataplane created again under its name", () => {
    const tally = read();
    applyToTally(tally, event("deleted", "Dataplane", "a"), NOW);
    applyToTally(tally, event("created", "Dataplane", "a", {}), NOW);
    expect(countTally(tally).byStatus.online).toBe(1);
    applyToTally(tally, event("deleted", "DataplaneInsight", "a"), NOW);
    expect(countTally(tally).byStatus).toEqual({ online: 0, stale: 0, offline: 0, never: 2 });
  });

  it("does not know the insight of a new name: it may have been written alone before the read", () => {
    const tally = read();
    applyToTally(tally, event("created", "Dataplane", "c", {}), NOW);
    expect(countTally(tally)).toMatchObject({ total: 3, unknown: 1 });
    applyToTally(tally, event("created", "DataplaneInsight", "c", connected), NOW);
    expect(countTally(tally)).toMatchObject({ total: 3, unknown: 0, byStatus: { online: 2 } });
  });
});
