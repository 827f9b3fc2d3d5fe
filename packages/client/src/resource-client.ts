/**
 * The methods of one resource type, generated from its registry entry: no
 * per-type code. Mesh-scoped types take `{ mesh, name }`, the global Mesh
 * type takes `{ name }`; the types follow from the resource's own shape.
 */
import { encodeWire, type ResourceOf, type ResourceType } from "@kuma-ts/model";
import { isNotModified, pageFrom, pagesOf, resourceFrom, type Page } from "./responses.js";
import { entityTag, type StreamOpener, type Transport } from "./transport.js";
import { watchEvents, type WatchEvent, type WatchOptions } from "./watch.js";

/** Whether a registry entry's resources carry a `mesh` (true) or are global (false). */
export type IsMeshScoped<T extends ResourceType> = "mesh" extends keyof ResourceOf<T>
  ? true
  : false;

/** Where a collection is: `{ mesh }` for mesh-scoped types, nothing for Mesh. */
export type CollectionOf<T extends ResourceType> = T extends ResourceType
  ? IsMeshScoped<T> extends true
    ? { readonly mesh: string }
    : { readonly mesh?: undefined }
  : never;

/** Which resource: `{ mesh, name }` for mesh-scoped types, `{ name }` for Mesh. */
export type ResourceKey<T extends ResourceType> = CollectionOf<T> & { readonly name: string };

/** Paging of a list: at most `size` items (1..1000) starting at `offset` (a previous page's `nextOffset`). */
export interface PageOptions {
  readonly size?: number;
  readonly offset?: string;
}

/** The arguments of `list`, `pages` and `listAll`: the collection plus paging. */
export type ListArgs<T extends ResourceType> = T extends ResourceType
  ? IsMeshScoped<T> extends true
    ? [options: { readonly mesh: string } & PageOptions]
    : [options?: { readonly mesh?: undefined } & PageOptions]
  : never;

/** The arguments of `watch`: the collection plus the watch's options. */
export type WatchArgs<T extends ResourceType> = T extends ResourceType
  ? IsMeshScoped<T> extends true
    ? [options: { readonly mesh: string } & WatchOptions]
    : [options?: { readonly mesh?: undefined } & WatchOptions]
  : never;

/** A resource with the version of its ETag. */
export interface Versioned<R> {
  readonly resource: R;
  readonly version: string | undefined;
}

/** Preconditions of a PUT. */
export interface PutOptions {
  /** Only if the stored version is this one (`If-Match`); a missing resource never matches. */
  readonly ifMatch?: string;
  /** Only if the resource does not exist yet (`If-None-Match: *`). */
  readonly createOnly?: boolean;
}

/** What a PUT did. */
export interface PutResult {
  /** True when the resource was created (201), false when it was updated (200). */
  readonly created: boolean;
  /** The version now stored (from the ETag). */
  readonly version: string | undefined;
}

/** Preconditions of a DELETE. */
export interface DeleteOptions {
  /** Only if the stored version is this one (`If-Match`). */
  readonly ifMatch?: string;
}

/** The typed methods of one resource type. */
export interface ResourceClient<T extends ResourceType> {
  /** The registry entry these methods are for. */
  readonly type: T;
  /** One page of the collection (the whole collection when `size` is absent). */
  list(...args: ListArgs<T>): Promise<Page<ResourceOf<T>>>;
  /** Every page of the collection, one request per page. */
  pages(...args: ListArgs<T>): AsyncIterableIterator<Page<ResourceOf<T>>>;
  /** Every item of the collection, fetched page by page. */
  listAll(...args: ListArgs<T>): AsyncIterableIterator<ResourceOf<T>>;
  /** One resource; a missing one is an ApiError with status 404. */
  get(key: ResourceKey<T>): Promise<ResourceOf<T>>;
  /** One resource with its version, for a later `put(..., { ifMatch })`. */
  getWithVersion(key: ResourceKey<T>): Promise<Versioned<ResourceOf<T>>>;
  /**
   * One resource with its version, unless the server still has `knownVersion`
   * (a conditional GET with `If-None-Match`): then undefined, and no body was sent.
   */
  getIfChanged(
    key: ResourceKey<T>,
    knownVersion: string | undefined,
  ): Promise<Versioned<ResourceOf<T>> | undefined>;
  /** Creates or replaces the resource at the URL of its own `mesh` and `name`. */
  put(resource: ResourceOf<T>, options?: PutOptions): Promise<PutResult>;
  /** Deletes one resource (for a Mesh: with everything in it). */
  delete(key: ResourceKey<T>, options?: DeleteOptions): Promise<void>;
  /**
   * The changes of the collection as they happen (watch.md): without `since`
   * a snapshot of what exists, `synced`, then live events; with it, the
   * changes after it. Resumes by itself on a dropped connection; ends
   * quietly when `signal` aborts or the loop is left.
   */
  watch(...args: WatchArgs<T>): AsyncIterable<WatchEvent<ResourceOf<T>>>;
}

/** Builds the methods of one resource type over a transport. */
export function createResourceClient<T extends ResourceType>(
  type: T,
  transport: Transport,
  openStream: StreamOpener,
): ResourceClient<T> {
  const collectionPath = (mesh: string | undefined): string => {
    if (type.scope === "global") return `/${type.path}`;
    if (mesh === undefined || mesh === "")
      throw new TypeError(`a ${type.name} lives in a mesh: give its mesh`);
    return `/meshes/${encodeURIComponent(mesh)}/${type.path}`;
  };
  const itemPath = (mesh: string | undefined, name: string): string => {
    if (name === "") throw new TypeError(`a ${type.name} needs a name`);
    return `${collectionPath(mesh)}/${encodeURIComponent(name)}`;
  };
  const decodeItem =
    (response: Parameters<typeof resourceFrom>[1]) => (value: unknown, path: string) =>
      resourceFrom(type, response, value, path);

  const list = async (
    options: { mesh?: string } & PageOptions = {},
  ): Promise<Page<ResourceOf<T>>> => {
    const response = await transport({
      method: "GET",
      path: collectionPath(options.mesh),
      query: { size: options.size, offset: options.offset },
    });
    return pageFrom(response, decodeItem(response));
  };

  const pages = (
    options: { mesh?: string } & PageOptions = {},
  ): AsyncIterableIterator<Page<ResourceOf<T>>> =>
    pagesOf((offset) => list({ ...options, offset }), options.offset);

  async function* listAll(
    options: { mesh?: string } & PageOptions = {},
  ): AsyncIterableIterator<ResourceOf<T>> {
    for await (const page of pages(options)) yield* page.items;
  }

  const getIfChanged = async (
    key: { mesh?: string; name: string },
    knownVersion: string | undefined,
  ): Promise<Versioned<ResourceOf<T>> | undefined> => {
    const response = await transport({
      method: "GET",
      path: itemPath(key.mesh, key.name),
      headers: knownVersion === undefined ? {} : { "If-None-Match": entityTag(knownVersion) },
    });
    if (isNotModified(response)) return undefined;
    return { resource: resourceFrom(type, response), version: response.version };
  };
  const getWithVersion = async (key: {
    mesh?: string;
    name: string;
  }): Promise<Versioned<ResourceOf<T>>> =>
    // Without a known version the server never answers 304.
    (await getIfChanged(key, undefined))!;

  return {
    type,
    list: list as ResourceClient<T>["list"],
    pages: pages as ResourceClient<T>["pages"],
    listAll: listAll as ResourceClient<T>["listAll"],
    getWithVersion: getWithVersion as ResourceClient<T>["getWithVersion"],
    getIfChanged: getIfChanged as ResourceClient<T>["getIfChanged"],
    get: (async (key: { mesh?: string; name: string }) =>
      (await getWithVersion(key)).resource) as ResourceClient<T>["get"],
    async put(resource, options = {}) {
      const { mesh, name } = resource as { mesh?: string; name: string };
      const headers: Record<string, string> = {};
      if (options.ifMatch !== undefined) headers["If-Match"] = entityTag(options.ifMatch);
      if (options.createOnly) headers["If-None-Match"] = "*";
      const response = await transport({
        method: "PUT",
        path: itemPath(mesh, name),
        body: JSON.stringify(encodeWire(type.schema, resource)),
        headers,
      });
      return { created: response.status === 201, version: response.version };
    },
    watch: ((options: { mesh?: string } & WatchOptions = {}) => {
      const { mesh: _mesh, ...watchOptions } = options;
      return watchEvents(
        openStream,
        {
          path: collectionPath(options.mesh),
          query: { watch: "true" },
          decode: (response, _type, value, path) => resourceFrom(type, response, value, path),
        },
        watchOptions,
      );
    }) as ResourceClient<T>["watch"],
    delete: (async (key: { mesh?: string; name: string }, options: DeleteOptions = {}) => {
      const headers: Record<string, string> = {};
      if (options.ifMatch !== undefined) headers["If-Match"] = entityTag(options.ifMatch);
      await transport({ method: "DELETE", path: itemPath(key.mesh, key.name), headers });
    }) as ResourceClient<T>["delete"],
  };
}
