/**
 * P3, live (gui.md §5, §6): the mesh and its counts, fed by one stream —
 * `/meshes/{mesh}/events` restricted to the types the page shows: the Mesh,
 * Dataplane and DataplaneInsight (the online count is the insights'), and
 * the six policy types.
 *
 * * The mesh is replaced in place by its events; `deleted` shows the banner.
 * * The dataplanes card follows its events exactly (`dataplane-tally.ts`):
 *   the read, and the events received since that read was sent, name by
 *   name. It is read again only when the events cannot tell (a dataplane
 *   whose insight the read could not show, or a mesh too big to tally).
 * * A policy count is a `total` of a one-item list: an event cannot tell
 *   whether that read already counted its write, so a created or deleted
 *   policy reads that card's count again (one `size=1` request), and no other.
 *
 * The stream starts from the oldest resume token of the counts' reads (all
 * made after the mesh was found): an event the reads already saw changes
 * nothing or reads a count again. No request is added to the page's eight
 * (§7): no token is read for the watch alone. The mesh itself is read first,
 * before the counts (§5), so a write to it in the moment between its read
 * and the counts' shows at the next change or Refresh.
 *
 * While the stream is open none of these sources is polled; without it
 * (refused, failing, Live off) they are polled like every other.
 */
import { DataplaneInsightType, DataplaneType, MeshType, type Mesh } from "@kuma-ts/model";
import { computed, ref, watch, type ComputedRef, type Ref } from "vue";
import { useApp } from "../app-context.js";
import {
  countSource,
  dataplaneCountsSource,
  meshSource,
  type DataplaneCounts,
} from "../api/sources-of.js";
import type { ChangeEvent } from "../data/change-feed.js";
import { applyToTally, countTally, tallyOf, type DataplaneTally } from "../data/dataplane-tally.js";
import type { Source } from "../data/source.js";
import { policyPages } from "../model/policy-types.js";
import { applyItemEvent } from "./use-live-item.js";
import { useSource, useSources, type UsedSource } from "./use-source.js";

/** The wire types P3 shows, and so the types its stream carries. */
export const MESH_PAGE_TYPES: readonly string[] = [
  MeshType.name,
  DataplaneType.name,
  DataplaneInsightType.name,
  ...policyPages.map((page) => page.type.name),
];

export interface LiveMesh {
  readonly mesh: UsedSource<Mesh>;
  /** The feed said the mesh was deleted (its last data stays shown under a banner). */
  readonly deleted: Ref<boolean>;
  readonly dataplanes: ComputedRef<DataplaneCounts | undefined>;
  /** By policy URL segment. */
  readonly policies: ComputedRef<Readonly<Record<string, number | undefined>>>;
  /** Reads everything again (Refresh, a feed reset). */
  refresh(): Promise<void>;
}

export function useLiveMesh(name: () => string): LiveMesh {
  const { client, live, now } = useApp();
  const clock = () => now.value;
  const mesh = useSource(() => meshSource(client, name()));
  // The counts are read once the mesh is known to exist (an unknown mesh's lists are empty).
  const found = () => mesh.data.value !== undefined;
  const tallied = useSource(() =>
    found() ? dataplaneCountsSource(client, name(), clock) : undefined,
  );
  const countSpecs = () =>
    found() ? policyPages.map((page) => countSource(client, page.type, name())) : [];
  const counts = useSources(countSpecs);
  const deleted = ref(false);

  /*
   * The dataplanes' tally: the last read's, with the events received since
   * it was sent. While a read is in flight, the events are kept to be
   * applied to it too.
   */
  let tally: DataplaneTally | undefined;
  let sinceSent: ChangeEvent[] | undefined;
  const tallyChanges = ref(0);
  const checkTally = (source: Source<DataplaneCounts>): void => {
    if (tally && countTally(tally).unknown > 0) void source.readAfterNow();
  };
  watch(
    () => [tallied.source.value, tallied.state.value?.loading] as const,
    ([source, loading]) => {
      if (!source) {
        tally = undefined;
        sinceSent = undefined;
        return;
      }
      if (loading) {
        sinceSent = [];
        return;
      }
      const read = source.state.data;
      // A failed read leaves the tally as it was: the last read, with every event since.
      if (read && source.state.error === undefined) {
        tally = read.statuses ? tallyOf(read.statuses) : undefined;
        for (const event of sinceSent ?? []) if (tally) applyToTally(tally, event, clock());
        tallyChanges.value++;
        checkTally(source);
      }
      sinceSent = undefined;
    },
    { immediate: true, flush: "sync" },
  );
  const dataplanes = computed((): DataplaneCounts | undefined => {
    void tallyChanges.value;
    const read = tallied.data.value;
    if (!read || !tally) return read;
    const { total, byStatus } = countTally(tally);
    return { ...read, total, byStatus };
  });
  const onDataplaneEvent = (event: ChangeEvent, source: Source<DataplaneCounts>): void => {
    sinceSent?.push(event);
    if (tally) {
      const unknown = event.kind === "created" && !tally.insights.has(event.name);
      if (applyToTally(tally, event, clock())) tallyChanges.value++;
      if (unknown && event.type === DataplaneType.name) void source.readAfterNow();
    } else if (
      event.kind !== "updated" &&
      event.kind !== "reset" &&
      event.type === DataplaneType.name
    ) {
      void source.readAfterNow(); // too many dataplanes to tally: the total is read again
    }
  };

  const countKeys = computed(() => countSpecs().map((spec) => spec.key));
  const policies = computed(() =>
    Object.fromEntries(
      policyPages.map((page, i) => [
        page.path,
        counts.states.value.get(countKeys.value[i]!)?.data as number | undefined,
      ]),
    ),
  );

  /** Reads everything again: `refresh` (Refresh), or `readAfterNow` (a feed reset: what it may have missed). */
  const readAll = async (how: "refresh" | "readAfterNow"): Promise<void> => {
    await Promise.all([mesh[how](), tallied[how](), counts[how]()]);
  };
  const refresh = (): Promise<void> => readAll("refresh");

  /** The sources the stream starts from: the counts' reads (each carries its resume token). */
  const readSources = computed((): Source<unknown>[] | undefined => {
    const all = [tallied.source.value, ...countKeys.value.map((key) => counts.sourceOf(key))];
    return all.every((source) => source !== undefined) ? (all as Source<unknown>[]) : undefined;
  });
  // Once the mesh and every count have been read, while live updates push.
  const watchIdentity = computed(() =>
    live.mode.value === "push" &&
    mesh.source.value &&
    readSources.value?.every((source) => source.state.data !== undefined)
      ? JSON.stringify([mesh.source.value.key, ...readSources.value.map((source) => source.key)])
      : undefined,
  );
  watch(
    watchIdentity,
    (identity, _old, onCleanup) => {
      const meshItem = mesh.source.value;
      const [dataplaneSource, ...countSources] = readSources.value ?? [];
      if (identity === undefined || !meshItem || !dataplaneSource) return;
      const item = { type: MeshType.name, name: name() };
      const countOf = new Map<string, Source<unknown>>(
        policyPages.map((page, i) => [page.type.name, countSources[i]!]),
      );
      const oldest = [dataplaneSource, ...countSources].reduce((a, b) =>
        (b.state.readAt ?? Infinity) < (a.state.readAt ?? Infinity) ? b : a,
      );
      deleted.value = false;
      const onEvent = (event: ChangeEvent): void => {
        if (event.kind === "reset") void readAll("readAfterNow");
        else if (event.type === MeshType.name) applyItemEvent(event, item, meshItem, deleted);
        else if (event.type === DataplaneType.name || event.type === DataplaneInsightType.name)
          onDataplaneEvent(event, dataplaneSource as Source<DataplaneCounts>);
        else if (event.kind !== "updated") {
          const count = countOf.get(event.type);
          if (count) void count.readAfterNow();
        }
      };
      onCleanup(
        live.watchPage({
          target: { kind: "mesh-events", mesh: item.name, types: MESH_PAGE_TYPES },
          since: oldest.state.resumeToken,
          readAt: oldest.state.readAt ?? Date.now(),
          sourceKeys: () => [meshItem.key, dataplaneSource.key, ...countSources.map((s) => s.key)],
          onEvent,
        }),
      );
    },
    { immediate: true },
  );

  return { mesh, deleted, dataplanes, policies, refresh };
}
