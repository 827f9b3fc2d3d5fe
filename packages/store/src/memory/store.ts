/**
 * The memory engine: the embedded default. Every operation runs to
 * completion synchronously (no await between reading and writing), so each
 * is atomic; the API is asynchronous only to match the contract.
 */
import {
  meshScopedTypes,
  timestampOf,
  type AnyResourceType,
  type Resource,
  type ResourceOf,
} from "@kuma-ts/model";
import { ChangeListeners } from "../change-listeners.js";
import type {
  ChangeEvent,
  ListOptions,
  ListResult,
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
  assertStorable,
  scopeMesh,
  stampResource,
  storedResource,
  typeOf,
} from "../stored-resource.js";
import { SortedNames } from "./sorted-names.js";

/** Options of the memory engine. */
export interface MemoryStoreOptions {
  /** The clock of creationTime and modificationTime; `() => new Date()` when absent. */
  readonly now?: () => Date;
}

/** The resources of one type in one mesh (or the meshes themselves). */
class Collection {
  readonly names = new SortedNames();
  readonly items = new Map<string, StoredResource>();

  set(name: string, item: StoredResource): void {
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

  const nextVersion = (): string => String(++lastVersion);

  const ensureOpen = (): void => {
    if (closed) throw new StoreUnavailableError("the store is closed");
  };

  const publish = (event: ChangeEvent): void => {
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
  ): StoredResource | undefined => collectionOf(type, mesh, false)?.items.get(name);

  const checkVersion = (item: StoredResource, options: WriteOptions | undefined): void => {
    if (options?.expectVersion !== undefined && options.expectVersion !== item.version) {
      throw new VersionConflictError(options.expectVersion, item.version);
    }
  };

  /** Removes a mesh and everything in it; returns whether the mesh existed. Emits children first, then the mesh. */
  const removeMesh = (name: string): boolean => {
    const contents = meshContents.get(name);
    if (contents) {
      for (const type of meshScopedTypes) {
        const collection = contents.get(type.name);
        if (!collection) continue;
        for (const child of collection.names) {
          const item = collection.items.get(child) as StoredResource;
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
    return true;
  };

  return {
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
      const collection = collectionOf(type, scope, false);
      if (!collection) return { items: [], total: 0 };
      const items = collection.items as Map<string, StoredResource<ResourceOf<T>>>;
      if (options.filter) {
        const page = new FilteredPage(after, size, options.filter);
        for (const name of collection.names)
          page.offer(items.get(name) as StoredResource<ResourceOf<T>>);
        return page.result();
      }
      const { names, more } = collection.names.page(after, size);
      const pageItems = names.map((name) => items.get(name) as StoredResource<ResourceOf<T>>);
      const total = collection.names.size;
      const last = names[names.length - 1];
      return more && last !== undefined
        ? { items: pageItems, total, nextOffset: encodeCursor(last) }
        : { items: pageItems, total };
    },

    async create<R extends Resource>(resource: R): Promise<StoredResource<R>> {
      ensureOpen();
      const type = typeOf(resource);
      assertStorable(type, resource);
      const mesh = type.scope === "mesh" ? (resource as { mesh: string }).mesh : undefined;
      if (mesh !== undefined && !meshes.items.has(mesh)) throw new MeshNotFoundError(mesh);
      if (collectionOf(type, mesh, false)?.items.has(resource.name)) {
        throw new ResourceAlreadyExistsError(type.name, mesh, resource.name);
      }
      const time = timestampOf(now());
      const stamped = stampResource(type, resource, time, time);
      const item = storedResource(stamped.resource, nextVersion(), stamped.json);
      (collectionOf(type, mesh, true) as Collection).set(resource.name, item);
      publish({
        kind: "created",
        type: type.name,
        mesh: mesh ?? resource.name,
        name: resource.name,
        version: item.version,
      });
      return item;
    },

    async update<R extends Resource>(
      resource: R,
      options?: WriteOptions,
    ): Promise<StoredResource<R>> {
      ensureOpen();
      const type = typeOf(resource);
      assertStorable(type, resource);
      const mesh = type.scope === "mesh" ? (resource as { mesh: string }).mesh : undefined;
      const collection = collectionOf(type, mesh, false);
      const old = collection?.items.get(resource.name);
      if (!collection || !old) throw new ResourceNotFoundError(type.name, mesh, resource.name);
      checkVersion(old, options);
      const creationTime = old.resource.creationTime ?? timestampOf(now());
      const stamped = stampResource(type, resource, creationTime, timestampOf(now()));
      const item = storedResource(stamped.resource, nextVersion(), stamped.json);
      collection.set(resource.name, item);
      publish({
        kind: "updated",
        type: type.name,
        mesh: mesh ?? resource.name,
        name: resource.name,
        version: item.version,
      });
      return item;
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
    },
  };
}
