/** The counts a mesh's summary shows (P1, P3): dataplanes by status, and one count per policy type. */
import type { KumaClient } from "@kuma-ts/client";
import { policyPages } from "../model/policy-types.js";
import {
  countSource,
  dataplaneCountsSource,
  type DataplaneCounts,
  type SourceSpec,
} from "./sources-of.js";
import type { SourceState } from "../data/source.js";

/** The sources of a mesh's counts: 1 (+ extra pages of 1,000 dataplanes) + 6 requests. */
export function meshCountSpecs(
  client: KumaClient,
  mesh: string,
  now: () => number,
): SourceSpec<unknown>[] {
  return [
    dataplaneCountsSource(client, mesh, now) as SourceSpec<unknown>,
    ...policyPages.map((page) => countSource(client, page.type, mesh) as SourceSpec<unknown>),
  ];
}

/** A mesh's counts read from the states of its sources. */
export interface MeshCounts {
  readonly dataplanes: DataplaneCounts | undefined;
  /** By policy URL segment. */
  readonly policies: Readonly<Record<string, number | undefined>>;
}

export function meshCounts(
  client: KumaClient,
  mesh: string,
  now: () => number,
  states: ReadonlyMap<string, SourceState<unknown>>,
): MeshCounts {
  const [dataplanes, ...policies] = meshCountSpecs(client, mesh, now);
  return {
    dataplanes: states.get(dataplanes!.key)?.data as DataplaneCounts | undefined,
    policies: Object.fromEntries(
      policyPages.map((page, i) => [
        page.path,
        states.get(policies[i]!.key)?.data as number | undefined,
      ]),
    ),
  };
}

/** `3 / 5` online of total; `5 (total only)` when the mesh is too big to count. */
export function onlineOfTotal(counts: DataplaneCounts | undefined): string {
  if (!counts) return "…";
  if (!counts.byStatus) return `${counts.total} (total only)`;
  return `${counts.byStatus.online + counts.byStatus.stale} / ${counts.total}`;
}
