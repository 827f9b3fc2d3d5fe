/**
 * The store contract: every engine (memory, Redis) implements it with the
 * same semantics, and one contract test suite runs against each of them.
 * The store knows nothing about HTTP; it throws the typed errors of errors.ts.
 */
import type { AnyResourceType, Resource, ResourceOf, ResourceTypeName } from "@kuma-ts/model";
import type { GlobalSecretStore } from "./global-secrets/contract.js";
import type { SlotLeases, TokenBuckets } from "./rate-limits/contract.js";

/** A resource as stored: the resource (with its timestamps), its version and its wire text. */
export interface StoredResource<R extends Resource = Resource> {
  /**
   * The resource in canonical form (as `json` decodes), with `creationTime`
   * and `modificationTime` set by the store. Frozen: copy it to change it.
   */
  readonly resource: R;
  /** Opaque; changes on every write. */
  readonly version: string;
  /** The canonical wire JSON of `resource` (encodeResource), ready to be served. */
  readonly json: string;
}

/** Options of a list. */
export interface ListOptions<R extends Resource = Resource> {
  /** At most this many items (the whole collection when absent); a positive integer, else RangeError. */
  readonly size?: number;
  /** The opaque cursor of a previous page's `nextOffset`. */
  readonly offset?: string;
  /** Only items for which this returns true are counted and returned. */
  readonly filter?: (resource: R) => boolean;
  /**
   * Also answer `token`: the resume token of the moment the list was read
   * (of its first round trip), for reading the changes made after it.
   */
  readonly withToken?: boolean;
}

/** One page of a list, sorted by name. */
export interface ListResult<R extends Resource = Resource> {
  readonly items: StoredResource<R>[];
  /** How many items match in the whole collection, not just this page. */
  readonly total: number;
  /** The cursor of the following page; absent on the last page. */
  readonly nextOffset?: string;
  /** With `withToken`: the resume token of the mesh's history (the meshes' for Mesh) when the list was read. */
  readonly token?: string;
}

/** Options of a write that may be conditional. */
export interface WriteOptions {
  /** Fail with VersionConflictError unless the stored version is this one. */
  readonly expectVersion?: string;
}

/** What a put did: the resource as stored, and whether it was created (false: it replaced one). */
export interface PutResult<R extends Resource = Resource> {
  readonly stored: StoredResource<R>;
  readonly created: boolean;
}

/** What happened to a resource; published by the same atomic operation as the write. */
export interface ChangeEvent {
  readonly kind: "created" | "updated" | "deleted";
  readonly type: ResourceTypeName;
  /** The mesh of a mesh-scoped resource; the mesh's own name for a Mesh. */
  readonly mesh: string;
  readonly name: string;
  /** The version written (for `deleted`: the last version the resource had). */
  readonly version: string;
}

/**
 * A change as the history retains it: the event, the resume token of the
 * moment right after it and, unless deleted, the resource's wire JSON as written.
 */
export interface HistoryEntry extends ChangeEvent {
  readonly token: string;
  readonly json?: string;
}

/**
 * A read of a history: the changes after the token (`more`: further
 * changes follow, read again after the last one), or why the changes after
 * it cannot be given (`reset`: no longer retained, or a token of another
 * store or history), in which case the reader starts over from a list.
 */
export type HistoryRead =
  | { readonly status: "ok"; readonly entries: HistoryEntry[]; readonly more: boolean }
  | { readonly status: "reset"; readonly reason: string };

/** Stops a watch. */
export type Unwatch = () => Promise<void>;

/**
 * The resource store. `mesh` is the resource's mesh for mesh-scoped types
 * and is ignored (pass undefined) for the global Mesh type.
 */
export interface ResourceStore {
  /**
   * The control plane's own secrets (auth.md §4): in the same backend as the
   * resources, shared by every store over it, never routable as resources.
   */
  readonly globalSecrets: GlobalSecretStore;

  /** The API's rate-limit buckets (auth.md §8), shared by every store over the same backend. */
  readonly tokenBuckets: TokenBuckets;

  /** The API's limits on open watches (auth.md §8): slot leases, shared by every store over the same backend. */
  readonly slotLeases: SlotLeases;

  /** The resource, or undefined when it does not exist (or its name could never be valid). */
  get<T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    name: string,
  ): Promise<StoredResource<ResourceOf<T>> | undefined>;

  /** Several resources of one mesh in one bounded operation, in the order of `names`. */
  getMany<T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    names: readonly string[],
  ): Promise<(StoredResource<ResourceOf<T>> | undefined)[]>;

  /**
   * A page of resources sorted by name. For mesh-scoped types `mesh` is
   * required; a mesh that does not exist has no resources. The cost follows
   * the page, not the collection (unless a filter must look at every item).
   * Throws InvalidCursorError for an offset that no list produced.
   */
  list<T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    options?: ListOptions<ResourceOf<T>>,
  ): Promise<ListResult<ResourceOf<T>>>;

  /**
   * Creates a resource. Throws ResourceAlreadyExistsError, and for a
   * mesh-scoped resource MeshNotFoundError when its mesh does not exist
   * (checked atomically with the write, so a racing mesh delete leaves no orphan).
   * Its timestamps are the store's; names that isValidName rejects are a
   * TypeError (the API validates them first).
   */
  create<R extends Resource>(resource: R): Promise<StoredResource<R>>;

  /** Replaces a resource's spec, keeping its creationTime. Throws ResourceNotFoundError, VersionConflictError. */
  update<R extends Resource>(resource: R, options?: WriteOptions): Promise<StoredResource<R>>;

  /**
   * Creates the resource, or replaces it when it exists (keeping its
   * creationTime), in one atomic step: concurrent puts never conflict, the
   * last one wins whole, and of concurrent puts of a new name exactly one
   * reports `created`. Creating a mesh-scoped resource throws
   * MeshNotFoundError when its mesh does not exist (checked atomically with
   * the write, as by create); replacing one does not check the mesh, as
   * update does not. Publishes `created` or `updated`.
   */
  put<R extends Resource>(resource: R): Promise<PutResult<R>>;

  /** Deletes a resource. Throws ResourceNotFoundError, VersionConflictError. Deleting a Mesh cascades (deleteMesh). */
  delete(
    type: AnyResourceType,
    mesh: string | undefined,
    name: string,
    options?: WriteOptions,
  ): Promise<void>;

  /**
   * Deletes a mesh and every resource of every type in it, atomically.
   * Returns whether the mesh itself existed (orphans are removed either way).
   */
  deleteMesh(name: string): Promise<boolean>;

  /**
   * Calls `listener` for every change made through any store sharing this
   * backend, once subscribed (when the promise resolves). Events arrive
   * asynchronously, after the write, in the order of the writes to one mesh.
   * A cascade reports each resource it deleted (types in registry order,
   * names in order), then the Mesh. Events published while the backend was
   * unreachable are lost (`onInterrupted` is called when the feed lost its
   * connection, so a watcher knows it may have missed some); a listener must not throw (its error is rethrown
   * as an uncaught exception, as an EventEmitter listener's would be).
   */
  watch(
    listener: (event: ChangeEvent) => void,
    onInterrupted?: (error: Error) => void,
  ): Promise<Unwatch>;

  /**
   * The resume token of now in a history: a mesh's (every change in the
   * mesh, its Mesh included) or, with `mesh` undefined, the meshes' (the
   * changes of every Mesh). Each write appends to its histories atomically
   * with itself; each keeps `watchHistory` changes at least.
   */
  historyToken(mesh: string | undefined): Promise<string>;

  /**
   * The changes of a history after `token` (one of its tokens), oldest
   * first, `limit` at most: exactly those made after the moment of the
   * token, in the order they were made. Throws InvalidResumeTokenError for
   * a text that is not a resume token at all.
   */
  readHistory(mesh: string | undefined, token: string, limit: number): Promise<HistoryRead>;

  /** Resolves when the backend answers; throws StoreUnavailableError otherwise. */
  ping(): Promise<void>;

  /** Releases connections and timers; afterwards every operation throws StoreUnavailableError. */
  close(): Promise<void>;
}
