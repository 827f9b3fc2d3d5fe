/**
 * What each kind of watch shows (watch.md §1–2): its current state for the
 * snapshot, and the event (if any) each change of its history makes.
 */
import {
  DataplaneInsightType,
  DataplaneType,
  MeshType,
  meshScopedTypes,
  parseResource,
  type AnyResourceType,
  type Dataplane,
  type DataplaneInsight,
} from "@kuma-ts/model";
import type { HistoryEntry, ResourceStore, StoredResource } from "@kuma-ts/store";
import { matchesTags, overviewJson, type TagFilter } from "../routes/overview.js";

/** One event to send: `created`, `updated` or `deleted` (or `snapshot` for the current state). */
export interface RenderedEvent {
  readonly kind: "created" | "updated" | "deleted";
  readonly data: string;
}

/** The current state of a watch: its items in order, the versions they hold, and the token before the read. */
export interface Snapshot {
  readonly events: RenderedEvent[];
  /** `<type>/<name>` → version, of every resource the snapshot read. */
  readonly versions: Map<string, string>;
  readonly token: string;
}

/** A kind of watch. */
export interface WatchView {
  /** The history it follows: a mesh's, or (undefined) the meshes'. */
  readonly mesh: string | undefined;
  /**
   * Set when every watch with the same key renders each change alike, and at
   * once: their streams then share the bytes of a batch of changes.
   */
  readonly sharedAs?: string;
  snapshot(): Promise<Snapshot>;
  /** The events of one change; none when the change is not about this watch. */
  render(entry: HistoryEntry): RenderedEvent[] | Promise<RenderedEvent[]>;
}

/** The `data` of an event: type, mesh (not for a Mesh), name, version, and the resource unless deleted. */
export function eventData(
  type: string,
  mesh: string | undefined,
  name: string,
  version: string,
  resourceJson: string | undefined,
): string {
  const meshPart = mesh === undefined ? "" : `,"mesh":${JSON.stringify(mesh)}`;
  const resource = resourceJson === undefined ? "" : `,"resource":${resourceJson}`;
  return `{"type":${JSON.stringify(type)}${meshPart},"name":${JSON.stringify(name)},"version":${JSON.stringify(version)}${resource}}`;
}

const versionKey = (type: string, name: string): string => `${type}/${name}`;

/** Each change's event, made once for all the watches that send it. */
const changeEvents = new WeakMap<HistoryEntry, RenderedEvent>();

const changeEvent = (entry: HistoryEntry): RenderedEvent => {
  let event = changeEvents.get(entry);
  if (!event) {
    event = makeChangeEvent(entry);
    changeEvents.set(entry, event);
  }
  return event;
};

const makeChangeEvent = (entry: HistoryEntry): RenderedEvent => ({
  kind: entry.kind,
  data: eventData(
    entry.type,
    entry.type === MeshType.name ? undefined : entry.mesh,
    entry.name,
    entry.version,
    entry.kind === "deleted" ? undefined : entry.json,
  ),
});

const storedEvent = (
  type: AnyResourceType,
  mesh: string | undefined,
  item: StoredResource,
): RenderedEvent => ({
  kind: "created",
  data: eventData(
    type.name,
    type.scope === "global" ? undefined : mesh,
    item.resource.name,
    item.version,
    item.json,
  ),
});

/** The changes of one type: `/meshes?watch=true` and `/meshes/{mesh}/{collection}?watch=true`. */
export function collectionView(
  store: ResourceStore,
  type: AnyResourceType,
  mesh: string | undefined,
  visible?: (resource: { readonly name: string }) => boolean,
): WatchView {
  const history = type.scope === "global" ? undefined : mesh;
  return {
    mesh: history,
    ...(visible ? {} : { sharedAs: `collection ${type.name}` }),
    async snapshot() {
      const list = await store.list(type, history, {
        withToken: true,
        ...(visible ? { filter: visible } : {}),
      });
      const versions = new Map(
        list.items.map((item) => [versionKey(type.name, item.resource.name), item.version]),
      );
      return {
        events: list.items.map((item) => storedEvent(type, history, item)),
        versions,
        token: list.token as string,
      };
    },
    render: (entry) =>
      entry.type === type.name && (!visible || visible(entry)) ? [changeEvent(entry)] : [],
  };
}

/** Every change in one mesh, or those of the named types: `/meshes/{mesh}/events`. */
export function meshEventsView(
  store: ResourceStore,
  mesh: string,
  types: ReadonlySet<string> | undefined,
): WatchView {
  const wanted = (type: AnyResourceType) => types === undefined || types.has(type.name);
  return {
    mesh,
    sharedAs: `events ${types === undefined ? "*" : [...types].sort().join(",")}`,
    async snapshot() {
      // The token first: what the reads below miss of later changes, the changes after it give.
      const token = await store.historyToken(mesh);
      const events: RenderedEvent[] = [];
      const versions = new Map<string, string>();
      const add = (type: AnyResourceType, item: StoredResource) => {
        versions.set(versionKey(type.name, item.resource.name), item.version);
        events.push(storedEvent(type, mesh, item));
      };
      if (wanted(MeshType)) {
        const meshItem = await store.get(MeshType, undefined, mesh);
        if (meshItem) add(MeshType, meshItem);
      }
      const lists = await Promise.all(
        meshScopedTypes
          .filter(wanted)
          .map(async (type) => [type, await store.list(type, mesh)] as const),
      );
      for (const [type, list] of lists) for (const item of list.items) add(type, item);
      return { events, versions, token };
    },
    render: (entry) => (types === undefined || types.has(entry.type) ? [changeEvent(entry)] : []),
  };
}

/**
 * The dataplane overviews of a mesh: an event whenever a Dataplane or its
 * DataplaneInsight is written. With tag filters, a dataplane that starts
 * matching is `created` and one that stops matching `deleted`, as a
 * Kubernetes watch with a label selector does.
 */
export function overviewView(
  store: ResourceStore,
  mesh: string,
  filters: readonly TagFilter[],
): WatchView {
  const filtered = filters.length > 0;
  const matches = (dataplane: Dataplane) => !filtered || matchesTags(dataplane, filters);
  /** With filters: the names of the dataplanes the client was shown. */
  const shown = new Set<string>();
  const event = (
    kind: RenderedEvent["kind"],
    dataplane: StoredResource<Dataplane>,
    insight: StoredResource<DataplaneInsight> | undefined,
  ): RenderedEvent => ({
    kind,
    data: eventData(
      "DataplaneOverview",
      mesh,
      dataplane.resource.name,
      `${dataplane.version}+${insight?.version ?? "0"}`,
      kind === "deleted" ? undefined : overviewJson(dataplane, insight),
    ),
  });
  /** The event of a dataplane as it is now, given whether it existed before. */
  const current = (
    dataplane: StoredResource<Dataplane>,
    insight: StoredResource<DataplaneInsight> | undefined,
    existed: boolean,
  ): RenderedEvent[] => {
    const name = dataplane.resource.name;
    if (!filtered) return [event(existed ? "updated" : "created", dataplane, insight)];
    if (matches(dataplane.resource)) {
      const wasShown = shown.has(name);
      shown.add(name);
      return [event(wasShown ? "updated" : "created", dataplane, insight)];
    }
    if (!shown.delete(name)) return [];
    return [event("deleted", dataplane, insight)];
  };
  return {
    mesh,
    async snapshot() {
      const list = await store.list(DataplaneType, mesh, {
        withToken: true,
        ...(filtered ? { filter: matches } : {}),
      });
      const insights = await store.getMany(
        DataplaneInsightType,
        mesh,
        list.items.map((item) => item.resource.name),
      );
      const versions = new Map<string, string>();
      const events = list.items.map((item, i) => {
        const insight = insights[i];
        versions.set(versionKey(DataplaneType.name, item.resource.name), item.version);
        if (insight)
          versions.set(versionKey(DataplaneInsightType.name, item.resource.name), insight.version);
        if (filtered) shown.add(item.resource.name);
        return event("created", item, insight);
      });
      return { events, versions, token: list.token as string };
    },
    async render(entry) {
      if (entry.type === DataplaneType.name) {
        const insight = await store.get(DataplaneInsightType, mesh, entry.name);
        if (entry.kind === "deleted") {
          if (filtered && !shown.delete(entry.name)) return [];
          return [
            {
              kind: "deleted",
              data: eventData(
                "DataplaneOverview",
                mesh,
                entry.name,
                `${entry.version}+${insight?.version ?? "0"}`,
                undefined,
              ),
            },
          ];
        }
        const json = entry.json as string;
        const dataplane: StoredResource<Dataplane> = {
          resource: parseResource(DataplaneType, json),
          version: entry.version,
          json,
        };
        return current(dataplane, insight, entry.kind === "updated");
      }
      if (entry.type === DataplaneInsightType.name) {
        // The overview of an existing dataplane changed; without its dataplane there is none.
        const [dataplane, insight] = await Promise.all([
          store.get(DataplaneType, mesh, entry.name),
          store.get(DataplaneInsightType, mesh, entry.name),
        ]);
        return dataplane ? current(dataplane, insight, true) : [];
      }
      return [];
    },
  };
}
