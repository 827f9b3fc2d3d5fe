/**
 * The memory engine: the embedded default. Every operation runs to
 * completion synchronously (no await between reading and writing), so each
 * is atomic; the API is asynchronous only to match the contract.
 *
 * It keeps each resource as its wire JSON and version only: the decoded
 * object is made again when a reader asks for it (each read gets a
 * canonicalStoredResource, which parses on first access). The JSON is what the API serves, and
 * keeping only it holds 100,000 dataplanes in about twice their JSON size
 * instead of five times (bench/, "RSS added by 100,000 dataplanes").
 */
import {
  meshScopedTypes,
  timestampOf,
  type AnyResourceType,
  type Resource,
  type ResourceOf,
} from "@kuma-ts/model";
import { createMemoryGlobalSecrets } from "../global-secrets/memory.js";
import { createMemoryTokenBuckets } from "../rate-limits/memory.js";
import { createMemorySlotLeases } from "../rate-limits/memory-leases.js";
import { ChangeListeners } from "../change-listeners.js";
import type {
  ChangeEvent,
  ListOptions,
  ListResult,
  PutResult,
  ResourceStore,
  StoredResource,
  Unwatch,
  WriteOptions,
} from "../contract.js";
import { checkPageSize, decodeCursor, encodeCursor } from "../cursor.js";
import {
  MeshNotFoundError,
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
} from "../errors.js";
import { FilteredPage } from "../filtered-page.js";
import {
  foreignTokenReason,
  formatResumeToken,
  HistoryRing,
  historyName,
  MESHES_HISTORY,
  newStoreId,
  parseResumeToken,
} from "../history.js";
import {
  assertStorable,
  canonicalStoredResource,
  scopeMesh,
  stampResource,
  typeOf,
} from "../stored-resource.js";
import { SortedNames } from "./sorted-names.js";

/** Options of the memory engine. */
export interface MemoryStoreOptions {
  /** The clock of creationTime and modificationTime; `() => new Date()` when absent. */
  readonly now?: () => Date;
  /** Changes retained per history for resuming watches (store.watchHistory); 10,000 when absent. */
  readonly watchHistory?: number;
  /** How long the history of a deleted mesh is kept for watchers resuming after its deletion (ms); an hour when absent. */
  readonly deletedMeshHistoryMs?: number;
}

/** What the engine keeps of one resource: its version (a small integer, held inline) and wire JSON. */
class Entry {
  constructor(
    readonly versionNumber: number,
    readonly json: string,
  ) {}

  get version(): string {
    return String(this.versionNumber);
  }
}

/**
 * The text as one flat string. JSON.stringify returns its result as a
 * tree of the pieces it wrote; reading a character makes V8 join them into
 * one string, which for a dataplane takes 400 bytes instead of 540.
 */
function flat(text: string): string {
  text.charCodeAt(0);
  return text;
}

/** The top-level `creationTime` of a stored JSON: its meta fields come first, in this order. */
function creationTimeOf(json: string): string | undefined {
  const marker = '"creationTime":"';
  const at = json.indexOf(marker);
  return at < 0 ? undefined : json.slice(at + marker.length, json.indexOf('"', at + marker.length));
}

/** The resources of one type in one mesh (or the meshes themselves). */
class Collection {
  readonly names = new SortedNames();
  readonly items = new Map<string, Entry>();

  /** The reader's view of an entry. */
  view<R extends Resource>(entry: Entry): StoredResource<R> {
    return canonicalStoredResource<R>(entry.version, entry.json);
  }

  set(name: string, item: Entry): void {
    if (!this.items.has(name)) this.names.insert(name);
    this.items.set(name, item);
  }

  delete(name: string): void {
    if (this.items.delete(name)) this.names.remove(name);
  }
}

/**
 * Creates an empty in-memory store.
 *
 * @example
 * const store = createMemoryStore();
 * await store.create({ type: "Mesh", name: "default" });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ResourceStore {
  const now = options.now ?? (() => new Date());
  const meshes = new Collection();
  /** mesh name → type name → collection. */
  const meshContents = new Map<string, Map<string, Collection>>();
  const listeners = new ChangeListeners();
  let lastVersion = 0;
  let closed = false;
  const storeId = newStoreId();
  const historyCapacity = options.watchHistory ?? 10_000;
  /** history name (a mesh, or MESHES_HISTORY) → its last changes. */
  const histories = new Map<string, HistoryRing>();
  /** The position of the last change, in every history. */
  let lastChange = 0;
  const deletedMeshHistoryMs = options.deletedMeshHistoryMs ?? 3_600_000;
  /** Deleted mesh → the timer that empties its history (cancelled when the mesh is created again). */
  const forgetting = new Map<string, NodeJS.Timeout>();

  const nextVersion = (): number => ++lastVersion;

  const ensureOpen = (): void => {
    if (closed) throw new StoreUnavailableError("the store is closed");
  };

  const tokenOf = (history: string, position: number): string =>
    formatResumeToken(storeId, history, String(position));

  /** Appends a change to its histories and publishes it. */
  const publish = (event: ChangeEvent, json?: string): void => {
    const position = ++lastChange;
    const entry = json === undefined ? { ...event, position } : { ...event, position, json };
    for (const history of event.type === "Mesh" ? [event.mesh, MESHES_HISTORY] : [event.mesh]) {
      let ring = histories.get(history);
      if (!ring) {
        ring = new HistoryRing(historyCapacity);
        histories.set(history, ring);
      }
      ring.push(entry);
    }
    // Delivered after the write returns, as the Redis engine's events are.
    queueMicrotask(() => listeners.emit(event));
  };

  const collectionOf = (
    type: AnyResourceType,
    mesh: string | undefined,
    create: boolean,
  ): Collection | undefined => {
    if (mesh === undefined) return meshes;
    let contents = meshContents.get(mesh);
    if (!contents) {
      if (!create) return undefined;
      contents = new Map();
      meshContents.set(mesh, contents);
    }
    let collection = contents.get(type.name);
    if (!collection && create) {
      collection = new Collection();
      contents.set(type.name, collection);
    }
    return collection;
  };

  // Maps hold only valid names, so any other name simply finds nothing.
  const lookup = (
    type: AnyResourceType,
    mesh: string | undefined,
    name: string,
  ): StoredResource | undefined => {
    const collection = collectionOf(type, mesh, false);
    const entry = collection?.items.get(name);
    return entry && collection?.view(entry);
  };

  const checkVersion = (
    item: { readonly version: string },
    options: WriteOptions | undefined,
  ): void => {
    if (options?.expectVersion !== undefined && options.expectVersion !== item.version) {
      throw new VersionConflictError(options.expectVersion, item.version);
    }
  };

  /** The type of a resource to write and its mesh (undefined for a Mesh), its names checked. */
  const placeOf = (resource: Resource): { type: AnyResourceType; mesh: string | undefined } => {
    const type = typeOf(resource);
    assertStorable(type, resource);
    return { type, mesh: type.scope === "mesh" ? (resource as { mesh: string }).mesh : undefined };
  };

  /**
   * The write of create, update and put: stores `resource` in `collection`
   * over `old` (undefined for a creation), with the store's timestamps
   * (creationTime kept from `old`) and a new version, and publishes the change.
   */
  const write = <R extends Resource>(
    type: AnyResourceType,
    mesh: string | undefined,
    collection: Collection,
    resource: R,
    old: Entry | undefined,
  ): StoredResource<R> => {
    const modificationTime = timestampOf(now());
    const creationTime = (old && creationTimeOf(old.json)) ?? modificationTime;
    const entry = new Entry(
      nextVersion(),
      flat(stampResource(resource, creationTime, modificationTime)),
    );
    collection.set(resource.name, entry);
    if (!old && mesh === undefined) {
      clearTimeout(forgetting.get(resource.name));
      forgetting.delete(resource.name);
    }
    const item = collection.view<R>(entry);
    publish(
      {
        kind: old ? "updated" : "created",
        type: type.name,
        mesh: mesh ?? resource.name,
        name: resource.name,
        version: item.version,
      },
      entry.json,
    );
    return item;
  };

  /** Removes a mesh and everything in it; returns whether the mesh existed. Emits children first, then the mesh. */
  const removeMesh = (name: string): boolean => {
    const contents = meshContents.get(name);
    if (contents) {
      for (const type of meshScopedTypes) {
        const collection = contents.get(type.name);
        if (!collection) continue;
        for (const child of collection.names) {
          const item = collection.items.get(child) as Entry;
          publish({
            kind: "deleted",
            type: type.name,
            mesh: name,
            name: child,
            version: item.version,
          });
        }
      }
      meshContents.delete(name);
    }
    const mesh = meshes.items.get(name);
    if (!mesh) return false;
    meshes.delete(name);
    publish({ kind: "deleted", type: "Mesh", mesh: name, name, version: mesh.version });
    // Resuming watchers see the deletion for a while; then the history keeps only where it ended.
    const timer = setTimeout(() => {
      forgetting.delete(name);
      histories.get(name)?.forget();
    }, deletedMeshHistoryMs);
    timer.unref();
    forgetting.set(name, timer);
    return true;
  };

  /** A page of a collection, read synchronously (so at one instant). */
  const listNow = <T extends AnyResourceType>(
    type: T,
    scope: string | undefined,
    size: number | undefined,
    after: string | undefined,
    options: ListOptions<ResourceOf<T>>,
  ): ListResult<ResourceOf<T>> => {
    const collection = collectionOf(type, scope, false);
    if (!collection) return { items: [], total: 0 };
    const items = collection.items;
    const view = (name: string) => collection.view<ResourceOf<T>>(items.get(name) as Entry);
    if (options.filter) {
      const page = new FilteredPage(after, size, options.filter);
      for (const name of collection.names) page.offer(view(name));
      return page.result();
    }
    const { names, more } = collection.names.page(after, size);
    const pageItems = names.map(view);
    const total = collection.names.size;
    const last = names[names.length - 1];
    return more && last !== undefined
      ? { items: pageItems, total, nextOffset: encodeCursor(last) }
      : { items: pageItems, total };
  };

  const globalSecrets = createMemoryGlobalSecrets(() => closed);
  const tokenBuckets = createMemoryTokenBuckets();
  const slotLeases = createMemorySlotLeases();

  return {
    globalSecrets,
    tokenBuckets,
    slotLeases,
    async get<T extends AnyResourceType>(type: T, mesh: string | undefined, name: string) {
      ensureOpen();
      return lookup(type, scopeMesh(type, mesh), name) as StoredResource<ResourceOf<T>> | undefined;
    },

    async getMany<T extends AnyResourceType>(
      type: T,
      mesh: string | undefined,
      names: readonly string[],
    ) {
      ensureOpen();
      const scope = scopeMesh(type, mesh);
      return names.map((name) => lookup(type, scope, name)) as (
        StoredResource<ResourceOf<T>> | undefined
      )[];
    },

    async list<T extends AnyResourceType>(
      type: T,
      mesh: string | undefined,
      options: ListOptions<ResourceOf<T>> = {},
    ): Promise<ListResult<ResourceOf<T>>> {
      ensureOpen();
      const scope = scopeMesh(type, mesh);
      const size = checkPageSize(options.size);
      const after = options.offset === undefined ? undefined : decodeCursor(options.offset);
      const token = options.withToken ? tokenOf(historyName(scope), lastChange) : undefined;
      const result = listNow(type, scope, size, after, options);
      return token === undefined ? result : { ...result, token };
    },

    async historyToken(mesh: string | undefined): Promise<string> {
      ensureOpen();
      return tokenOf(historyName(mesh), lastChange);
    },

    async readHistory(mesh: string | undefined, token: string, limit: number) {
      ensureOpen();
      const parsed = parseResumeToken(token);
      const history = historyName(mesh);
      const foreign = foreignTokenReason(parsed, storeId, history);
      if (foreign) return { status: "reset", reason: foreign };
      const after = Number(parsed.position[0]);
      if (parsed.position[1] !== 0n || after > lastChange) {
        return { status: "reset", reason: "the token is of another store or of its lost history" };
      }
      const ring = histories.get(history);
      if (!ring) return { status: "ok", entries: [], more: false };
      return ring.read(after, limit, (position) => tokenOf(history, position));
    },

    async create<R extends Resource>(resource: R): Promise<StoredResource<R>> {
      ensureOpen();
      const { type, mesh } = placeOf(resource);
      if (mesh !== undefined && !meshes.items.has(mesh)) throw new MeshNotFoundError(mesh);
      if (collectionOf(type, mesh, false)?.items.has(resource.name)) {
        throw new ResourceAlreadyExistsError(type.name, mesh, resource.name);
      }
      return write(type, mesh, collectionOf(type, mesh, true) as Collection, resource, undefined);
    },

    async update<R extends Resource>(
      resource: R,
      options?: WriteOptions,
    ): Promise<StoredResource<R>> {
      ensureOpen();
      const { type, mesh } = placeOf(resource);
      const collection = collectionOf(type, mesh, false);
      const old = collection?.items.get(resource.name);
      if (!collection || !old) throw new ResourceNotFoundError(type.name, mesh, resource.name);
      checkVersion(old, options);
      return write(type, mesh, collection, resource, old);
    },

    async put<R extends Resource>(resource: R): Promise<PutResult<R>> {
      ensureOpen();
      const { type, mesh } = placeOf(resource);
      const collection = collectionOf(type, mesh, false);
      const old = collection?.items.get(resource.name);
      if (!old && mesh !== undefined && !meshes.items.has(mesh)) throw new MeshNotFoundError(mesh);
      const into = collection ?? (collectionOf(type, mesh, true) as Collection);
      return { stored: write(type, mesh, into, resource, old), created: !old };
    },

    async delete(
      type: AnyResourceType,
      mesh: string | undefined,
      name: string,
      options?: WriteOptions,
    ): Promise<void> {
      ensureOpen();
      const scope = scopeMesh(type, mesh);
      const old = lookup(type, scope, name);
      if (!old) throw new ResourceNotFoundError(type.name, scope, name);
      checkVersion(old, options);
      if (scope === undefined) {
        removeMesh(name);
        return;
      }
      (collectionOf(type, scope, false) as Collection).delete(name);
      publish({ kind: "deleted", type: type.name, mesh: scope, name, version: old.version });
    },

    async deleteMesh(name: string): Promise<boolean> {
      ensureOpen();
      return removeMesh(name);
    },

    async watch(listener: (event: ChangeEvent) => void): Promise<Unwatch> {
      ensureOpen();
      return listeners.add(listener);
    },

    async ping(): Promise<void> {
      ensureOpen();
    },

    async close(): Promise<void> {
      closed = true;
      listeners.clear();
      for (const timer of forgetting.values()) clearTimeout(timer);
      forgetting.clear();
    },
  };
}
