/**
 * A mesh's dataplanes counted by status (P3's card, gui.md §5), kept current
 * by the change feed's Dataplane and DataplaneInsight events: per name,
 * whether the dataplane exists and the status its insight gives. Each event
 * sets the state of one name (the last write wins), so applying the events
 * received since a read was sent to that read is exact — an event of a
 * write the read already saw only sets what it already holds, and a later
 * event of the same name follows it.
 *
 * One thing a read cannot tell: the insight of a name that has no dataplane
 * (the API lets an insight be written alone, and it outlives its dataplane).
 * A dataplane created under such a name has an unknown status until the
 * card is read again (`unknown` is then above zero).
 */
import { DataplaneInsightType, DataplaneType, type DataplaneOverview } from "@kuma-ts/model";
import { dataplaneStatus, type DataplaneStatusKind } from "../model/dataplane-status.js";
import type { ChangeEvent } from "./change-feed.js";

/** The state of a mesh's dataplanes, by name (changed in place by `applyToTally`). */
export interface DataplaneTally {
  /** The dataplanes that exist. */
  readonly dataplanes: Set<string>;
  /** The status each known insight gives (`never` for none), dataplane or not. */
  readonly insights: Map<string, DataplaneStatusKind>;
}

/** Each dataplane of a read of every overview of a mesh, with its status at `now`. */
export function statusesOf(
  overviews: readonly DataplaneOverview[],
  now: number,
): Record<string, DataplaneStatusKind> {
  return Object.fromEntries(
    overviews.map((overview) => [overview.name, dataplaneStatus(overview, now).kind]),
  );
}

/** The tally of a read: its dataplanes, and their insights. */
export function tallyOf(statuses: Readonly<Record<string, DataplaneStatusKind>>): DataplaneTally {
  return {
    dataplanes: new Set(Object.keys(statuses)),
    insights: new Map(Object.entries(statuses)),
  };
}

/** Applies `event` to the tally; whether it changed it. */
export function applyToTally(tally: DataplaneTally, event: ChangeEvent, now: number): boolean {
  if (event.kind === "reset") return false;
  if (event.type === DataplaneType.name) {
    const exists = event.kind !== "deleted";
    if (tally.dataplanes.has(event.name) === exists) return false;
    if (exists) tally.dataplanes.add(event.name);
    else tally.dataplanes.delete(event.name);
    return true;
  }
  if (event.type === DataplaneInsightType.name) {
    const status =
      event.kind === "deleted"
        ? "never"
        : dataplaneStatus({ dataplaneInsight: event.resource } as unknown as DataplaneOverview, now)
            .kind;
    if (tally.insights.get(event.name) === status) return false;
    tally.insights.set(event.name, status);
    return true;
  }
  return false;
}

/** The dataplanes of a tally by status; `unknown`: those whose insight the tally does not know. */
export function countTally(tally: DataplaneTally): {
  readonly total: number;
  readonly byStatus: Readonly<Record<DataplaneStatusKind, number>>;
  readonly unknown: number;
} {
  const byStatus: Record<DataplaneStatusKind, number> = {
    online: 0,
    stale: 0,
    offline: 0,
    never: 0,
  };
  let unknown = 0;
  for (const name of tally.dataplanes) {
    const status = tally.insights.get(name);
    if (status === undefined) unknown++;
    else byStatus[status]++;
  }
  return { total: tally.dataplanes.size, byStatus, unknown };
}
