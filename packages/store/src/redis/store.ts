/**
 * The Redis engine: the store of deployments with several control planes.
 * Every write is one Lua script (scripts.ts) over the keys of one mesh
 * (keys.ts); reads are single commands or one read-only script; every
 * operation goes through RedisConnection.run, which bounds it by the
 * command timeout and turns outages into StoreUnavailableError.
 */
import {
  isValidName,
  meshScopedTypes,
  timestampOf,
  type AnyResourceType,
  type Resource,
  type ResourceOf,
} from "@kuma-ts/model";
import { createRedisGlobalSecrets } from "../global-secrets/redis.js";
import { createRedisTokenBuckets } from "../rate-limits/redis.js";
import { createRedisSlotLeases } from "../rate-limits/redis-leases.js";
import { ChangeListeners } from "../change-listeners.js";
import type {
  ChangeEvent,
  HistoryEntry,
  HistoryRead,
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
  historyName,
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
import { RedisConnection } from "./connection.js";
import { parseChangeEvent } from "./events.js";
import { RedisKeys } from "./keys.js";
import { createRedisClient, REDIS_DEFAULTS, type RedisStoreOptions } from "./options.js";
import {
  createMeshScript,
  createResourceScript,
  deleteMeshScript,
  deleteResourceScript,
  historyTokenScript,
  meshIndexPageScript,
  readHistoryScript,
  putScript,
  updateScript,
  type RedisClient,
  type RedisScript,
} from "./scripts.js";
import { PAGE_BATCH, READ_NAMES, readResourcePage, type RawPage } from "./resource-page.js";
import { RecordDecoder } from "./values.js";

/** How many meshes one round trip of a list reads at most. */
const MESH_BATCH = 1000;

type Reply = (string | number | null)[];

/**
 * Creates a store on Redis (standalone, Sentinel or Cluster). It connects
 * in the background and reconnects by itself; while Redis is unreachable
 * every operation fails with StoreUnavailableError within
 * `commandTimeoutMs`.
 *
 * @example
 * const store = createRedisStore({ url: "redis://127.0.0.1:6379/0", keyPrefix: "kuma" });
 * await store.ping();
 */
export function createRedisStore(options: RedisStoreOptions = {}): ResourceStore {
  const keys = new RedisKeys(options.keyPrefix ?? REDIS_DEFAULTS.keyPrefix);
  const now = options.now ?? (() => new Date());
  const connection = new RedisConnection(
    createRedisClient(options),
    options.commandTimeoutMs ?? REDIS_DEFAULTS.commandTimeoutMs,
    options.mode !== "cluster",
  );
  const feed = new ChangeFeed(connection, keys.channel);
  const decoder = new RecordDecoder(options.recordCacheSize ?? REDIS_DEFAULTS.recordCacheSize);
  const historyLength = String(options.watchHistory ?? REDIS_DEFAULTS.watchHistory);
  const deletedMeshHistoryMs = String(
    options.deletedMeshHistoryMs ?? REDIS_DEFAULTS.deletedMeshHistoryMs,
  );
  /** The store's id (made by the first store of the prefix to ask), read once. */
  let storeIdRead: Promise<string> | undefined;
  const storeId = (): Promise<string> => {
    storeIdRead ??= runOneStep("read the store id", async (client) => {
      const mine = newStoreId();
      // SET NX GET: the id already there, or null when this one was set.
      const existing = (await client.call("SET", keys.storeId, mine, "NX", "GET")) as string | null;
      return existing ?? mine;
    }).catch((error: unknown) => {
      storeIdRead = undefined;
      throw error;
    });
    return storeIdRead;
  };
  /** The history key of a mesh, or the meshes' for undefined. */
  const historyKey = (mesh: string | undefined): string =>
    mesh === undefined ? keys.meshChanges : keys.changes(mesh);
  const tokenAt = async (mesh: string | undefined, position: string): Promise<string> =>
    formatResumeToken(await storeId(), historyName(mesh), position);
  const run = <T>(operation: string, work: (client: RedisClient) => Promise<T>): Promise<T> =>
    connection.run(operation, work);
  /** For operations that send their commands at once (a GET, a script): the usual case, kept cheap. */
  const runOneStep = <T>(
    operation: string,
    work: (client: RedisClient) => Promise<T>,
  ): Promise<T> => connection.run(operation, work, { oneStep: true });

  /** Where a resource's record lives. */
  const recordKey = (type: AnyResourceType, mesh: string | undefined, name: string) =>
    mesh === undefined ? { key: keys.mesh(name) } : { key: keys.items(mesh, type), field: name };

  /**
   * The resource of a record read from where `name` lives: `items` (the
   * hash of its type in `mesh`, computed once per list by callers that read
   * many) or the Mesh record.
   */
  const decode = <T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    name: string,
    record: string | null,
    items = mesh === undefined ? undefined : keys.items(mesh, type),
  ): StoredResource<ResourceOf<T>> | undefined =>
    record === null
      ? undefined
      : items === undefined
        ? decoder.decode(type, mesh, name, record, keys.mesh(name))
        : decoder.decode(type, mesh, name, record, items, name);

  const collectionKeys = (mesh: string, type: AnyResourceType) => ({
    names: keys.names(mesh, type),
    items: keys.items(mesh, type),
  });

  /** Reads Mesh records in parallel: one command each, batched per node by auto-pipelining. */
  const readMeshes = (client: RedisClient, names: readonly string[]): Promise<(string | null)[]> =>
    Promise.all(names.map((name) => client.get(keys.mesh(name))));

  /**
   * A page of a collection, `size` at most, after `after`. It may hold
   * fewer items even though more follow (a range that changed under a
   * long read of a type, index entries without a Mesh): callers go on from
   * its last entry while `more` is set.
   */
  const readPage = (
    type: AnyResourceType,
    mesh: string | undefined,
    after: string | undefined,
    size: number,
    withPosition = false,
  ): Promise<RawPage> =>
    mesh === undefined
      ? run(`list ${type.pluralName}`, (client) =>
          meshPage(client, after, Math.min(size, MESH_BATCH), withPosition),
        )
      : (size <= PAGE_BATCH ? runOneStep : run)(`list ${type.pluralName}`, (client) =>
          readResourcePage(
            client,
            withPosition
              ? { ...collectionKeys(mesh, type), history: keys.changes(mesh) }
              : collectionKeys(mesh, type),
            after,
            size,
          ),
        );

  /**
   * A page of meshes, `size` at most, after `after`: names from the index,
   * records read in parallel. Index entries without a Mesh (a creation or a
   * deletion under way, or interrupted) are skipped, and more names are
   * read in their place.
   */
  const meshPage = async (
    client: RedisClient,
    after: string | undefined,
    size: number,
    withPosition: boolean,
  ): Promise<RawPage> => {
    const entries: [string, string][] = [];
    let position: string | undefined;
    let total = 0;
    let first = true;
    let more = true;
    let cursor = after;
    while (more && entries.length < size) {
      const reply = (await meshIndexPageScript.run(
        client,
        first && withPosition ? [keys.meshIndex, keys.meshChanges] : [keys.meshIndex],
        [cursor === undefined ? "-" : `(${cursor}`, size - entries.length],
      )) as Reply;
      if (first) total = Number(reply[0]);
      if (first && withPosition) position = String(reply[2]);
      first = false;
      more = reply[1] === 1;
      const names = reply.slice(3).map(String);
      const records = await readMeshes(client, names);
      names.forEach((name, i) => {
        const record = records[i];
        if (record !== null && record !== undefined) entries.push([name, record]);
      });
      cursor = names[names.length - 1] ?? cursor;
    }
    return position === undefined ? { total, more, entries } : { total, more, entries, position };
  };

  /** Reads a whole collection, READ_NAMES items at a time, offering each item in name order. */
  const scan = async <T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    offer: (item: StoredResource<ResourceOf<T>>) => void,
    withPosition = false,
  ): Promise<string | undefined> => {
    const items = mesh === undefined ? undefined : keys.items(mesh, type);
    let cursor: string | undefined;
    let position: string | undefined;
    for (;;) {
      const page = await readPage(type, mesh, cursor, READ_NAMES, withPosition && !cursor);
      position ??= page.position;
      for (const [name, record] of page.entries) {
        const item = decode(type, mesh, name, record, items);
        if (item) offer(item);
      }
      const last = page.entries[page.entries.length - 1];
      if (!page.more || !last) return position;
      cursor = last[0];
    }
  };

  const list = async <T extends AnyResourceType>(
    type: T,
    meshArgument: string | undefined,
    options: ListOptions<ResourceOf<T>> = {},
  ): Promise<ListResult<ResourceOf<T>>> => {
    const mesh = scopeMesh(type, meshArgument);
    const size = checkPageSize(options.size);
    const after = options.offset === undefined ? undefined : decodeCursor(options.offset);
    if (mesh !== undefined && !isValidName(mesh)) {
      // No such mesh can exist, so neither can its history: the token of an empty history.
      return options.withToken
        ? { items: [], total: 0, token: await tokenAt(mesh, "0-0") }
        : { items: [], total: 0 };
    }
    const withToken = async (result: ListResult<ResourceOf<T>>, position: string | undefined) =>
      options.withToken ? { ...result, token: await tokenAt(mesh, position ?? "0-0") } : result;
    if (options.filter) {
      const page = new FilteredPage(after, size, options.filter);
      const position = await scan(type, mesh, (item) => page.offer(item), options.withToken);
      return withToken(page.result(), position);
    }
    const items: StoredResource<ResourceOf<T>>[] = [];
    const itemsKey = mesh === undefined ? undefined : keys.items(mesh, type);
    let total: number | undefined;
    let position: string | undefined;
    let cursor = after;
    let more = true;
    // One round trip for the usual page sizes, two per READ_NAMES items for longer reads.
    while (more && (size === undefined || items.length < size)) {
      const page = await readPage(
        type,
        mesh,
        cursor,
        size === undefined ? READ_NAMES : size - items.length,
        options.withToken === true && position === undefined,
      );
      total ??= page.total;
      position ??= page.position;
      more = page.more;
      for (const [name, record] of page.entries) {
        const item = decode(type, mesh, name, record, itemsKey);
        if (item) items.push(item);
      }
      const last = page.entries[page.entries.length - 1];
      if (!last) break;
      cursor = last[0];
    }
    const last = items[items.length - 1];
    if (size === undefined) return withToken({ items, total: items.length }, position);
    return withToken(
      more && last
        ? { items, total: total ?? items.length, nextOffset: encodeCursor(last.resource.name) }
        : { items, total: total ?? items.length },
      position,
    );
  };

  /** The changes of a history after `token`. */
  const readHistory = async (
    mesh: string | undefined,
    token: string,
    limit: number,
  ): Promise<HistoryRead> => {
    const parsed = parseResumeToken(token);
    if (mesh !== undefined && !isValidName(mesh)) {
      return { status: "reset", reason: "the token is of another watch" };
    }
    const foreign = foreignTokenReason(parsed, await storeId(), historyName(mesh));
    if (foreign) return { status: "reset", reason: foreign };
    const position = `${parsed.position[0]}-${parsed.position[1]}`;
    const reply = (await runOneStep("read the history", (client) =>
      readHistoryScript.run(client, [historyKey(mesh)], [position, limit]),
    )) as [string, [string, string[]][]?];
    if (reply[0] === "expired") {
      return { status: "reset", reason: "the changes after the token are no longer retained" };
    }
    if (reply[0] === "future") {
      return { status: "reset", reason: "the token is of another store or of its lost history" };
    }
    const history = historyName(mesh);
    const store = await storeId();
    const entries: HistoryEntry[] = [];
    for (const [id, fields] of reply[1] ?? []) {
      const entry = parseHistoryEntry(fields, mesh, formatResumeToken(store, history, id));
      if (entry) entries.push(entry);
    }
    return { status: "ok", entries, more: (reply[1]?.length ?? 0) >= limit };
  };

  return {
    globalSecrets: createRedisGlobalSecrets(connection, keys),
    tokenBuckets: createRedisTokenBuckets(connection, keys),
    slotLeases: createRedisSlotLeases(connection, keys),
    async get<T extends AnyResourceType>(type: T, meshArgument: string | undefined, name: string) {
      const mesh = scopeMesh(type, meshArgument);
      if (!isValidName(name) || (mesh !== undefined && !isValidName(mesh))) return undefined;
      const record = await runOneStep(`get ${type.name}`, (client) =>
        mesh === undefined
          ? client.get(keys.mesh(name))
          : client.hget(keys.items(mesh, type), name),
      );
      return decode(type, mesh, name, record);
    },

    async getMany<T extends AnyResourceType>(
      type: T,
      meshArgument: string | undefined,
      names: readonly string[],
    ) {
      const mesh = scopeMesh(type, meshArgument);
      const valid = names.filter(
        (name) => isValidName(name) && (mesh === undefined || isValidName(mesh)),
      );
      if (valid.length === 0) return names.map(() => undefined);
      const records = await runOneStep(`get ${type.pluralName}`, (client) =>
        mesh === undefined
          ? readMeshes(client, valid)
          : client.hmget(keys.items(mesh, type), ...valid),
      );
      const byName = new Map(valid.map((name, i) => [name, records[i] ?? null]));
      const items = mesh === undefined ? undefined : keys.items(mesh, type);
      return names.map((name) => decode(type, mesh, name, byName.get(name) ?? null, items));
    },

    list,

    async create<R extends Resource>(resource: R): Promise<StoredResource<R>> {
      const type = typeOf(resource);
      assertStorable(type, resource);
      const time = timestampOf(now());
      const json = stampResource(resource, time, time);
      const name = resource.name;
      if (type.scope === "global") {
        const reply = await writeMesh("create Mesh", name, createMeshScript, [
          name,
          json,
          keys.channel,
          historyLength,
        ]);
        if (reply[0] === "exists") throw new ResourceAlreadyExistsError(type.name, undefined, name);
        await rememberMeshChange("created", name, String(reply[1]), json);
        return canonicalStoredResource<R>(String(reply[1]), json);
      }
      const mesh = (resource as { mesh: string }).mesh;
      const reply = (await runOneStep(`create ${type.name}`, (client) =>
        createResourceScript.run(
          client,
          [
            keys.items(mesh, type),
            keys.names(mesh, type),
            keys.version(mesh),
            keys.mesh(mesh),
            keys.changes(mesh),
          ],
          [type.name, mesh, name, json, keys.channel, historyLength],
        ),
      )) as Reply;
      if (reply[0] === "nomesh") throw new MeshNotFoundError(mesh);
      if (reply[0] === "exists") throw new ResourceAlreadyExistsError(type.name, mesh, name);
      return canonicalStoredResource<R>(String(reply[1]), json);
    },

    async update<R extends Resource>(
      resource: R,
      options?: WriteOptions,
    ): Promise<StoredResource<R>> {
      const type = typeOf(resource);
      assertStorable(type, resource);
      const name = resource.name;
      const mesh = type.scope === "mesh" ? (resource as { mesh: string }).mesh : undefined;
      const time = timestampOf(now());
      const [head, tail] = splitAtCreationTime(stampResource(resource, time, time));
      const { key, field } = recordKey(type, mesh, name);
      const reply = (await runOneStep(`update ${type.name}`, (client) =>
        updateScript.run(
          client,
          [key, keys.version(mesh ?? name), keys.changes(mesh ?? name)],
          [
            type.name,
            mesh ?? name,
            name,
            field ?? "",
            options?.expectVersion ?? "",
            head,
            tail,
            keys.channel,
            time,
            historyLength,
          ],
        ),
      )) as Reply;
      if (reply[0] === "notfound") throw new ResourceNotFoundError(type.name, mesh, name);
      if (reply[0] === "conflict") {
        throw new VersionConflictError(
          options?.expectVersion ?? "",
          (reply[1] as string) || undefined,
        );
      }
      const stored = storedWithCreationTime<R>(reply, head, tail);
      if (mesh === undefined)
        await rememberMeshChange("updated", name, stored.version, stored.json);
      return stored;
    },

    async put<R extends Resource>(resource: R): Promise<PutResult<R>> {
      const type = typeOf(resource);
      assertStorable(type, resource);
      const name = resource.name;
      const time = timestampOf(now());
      const [head, tail] = splitAtCreationTime(stampResource(resource, time, time));
      if (type.scope === "global") {
        const args = [type.name, name, name, "", head, tail, keys.channel, time, historyLength];
        const result = putResult<R>(await writeMesh("put Mesh", name, putScript, args), head, tail);
        const { version, json } = result.stored;
        await rememberMeshChange(result.created ? "created" : "updated", name, version, json);
        return result;
      }
      const mesh = (resource as { mesh: string }).mesh;
      const reply = (await runOneStep(`put ${type.name}`, (client) =>
        putScript.run(
          client,
          [
            keys.items(mesh, type),
            keys.version(mesh),
            keys.changes(mesh),
            keys.names(mesh, type),
            keys.mesh(mesh),
          ],
          [type.name, mesh, name, name, head, tail, keys.channel, time, historyLength],
        ),
      )) as Reply;
      if (reply[0] === "nomesh") throw new MeshNotFoundError(mesh);
      return putResult<R>(reply, head, tail);
    },

    async delete(
      type: AnyResourceType,
      meshArgument: string | undefined,
      name: string,
      options?: WriteOptions,
    ) {
      const mesh = scopeMesh(type, meshArgument);
      if (!isValidName(name) || (mesh !== undefined && !isValidName(mesh))) {
        throw new ResourceNotFoundError(type.name, mesh, name);
      }
      if (mesh === undefined) {
        const reply = await deleteMesh(name, options?.expectVersion ?? "");
        if (reply[0] === "notfound" || reply[0] === "absent")
          throw new ResourceNotFoundError(type.name, mesh, name);
        if (reply[0] === "conflict") {
          throw new VersionConflictError(
            options?.expectVersion ?? "",
            (reply[1] as string) || undefined,
          );
        }
        return;
      }
      const reply = (await runOneStep(`delete ${type.name}`, (client) =>
        deleteResourceScript.run(
          client,
          [keys.items(mesh, type), keys.names(mesh, type), keys.changes(mesh)],
          [type.name, mesh, name, options?.expectVersion ?? "", keys.channel, historyLength],
        ),
      )) as Reply;
      if (reply[0] === "notfound") throw new ResourceNotFoundError(type.name, mesh, name);
      if (reply[0] === "conflict") {
        throw new VersionConflictError(
          options?.expectVersion ?? "",
          (reply[1] as string) || undefined,
        );
      }
    },

    async deleteMesh(name: string): Promise<boolean> {
      if (!isValidName(name)) return false;
      return (await deleteMesh(name, ""))[0] === "ok";
    },

    watch: (listener, onInterrupted) => feed.watch(listener, onInterrupted),

    async historyToken(mesh: string | undefined): Promise<string> {
      if (mesh !== undefined && !isValidName(mesh)) return tokenAt(mesh, "0-0");
      const position = (await runOneStep("read the history", (client) =>
        historyTokenScript.run(client, [historyKey(mesh)], []),
      )) as string;
      return tokenAt(mesh, position);
    },

    readHistory,

    async ping(): Promise<void> {
      await runOneStep("ping", (client) => client.ping());
    },

    async close(): Promise<void> {
      await feed.close();
      await connection.close();
    },
  };

  /**
   * Writes a Mesh record with `script` (whose KEYS are the mesh record and
   * counter), index entry first. The index of mesh names and the mesh's keys
   * have different hash tags, so no one script can write both (in a Cluster
   * they may live on different nodes), and the order keeps them consistent:
   * the entry is added before the mesh, so a reader never misses a mesh that
   * exists (readers skip entries without a mesh, as a crash in between leaves
   * one), and added again when the script created the mesh, because a
   * deletion of an earlier mesh of this name may have removed it meanwhile.
   * A Mesh write therefore takes two round trips, three when it creates,
   * where any other write takes one; meshes are written rarely.
   */
  async function writeMesh(
    operation: string,
    name: string,
    script: RedisScript,
    args: readonly string[],
  ): Promise<Reply> {
    return await run(operation, async (client) => {
      await client.zadd(keys.meshIndex, 0, name);
      const reply = (await script.run(
        client,
        [keys.mesh(name), keys.version(name), keys.changes(name)],
        args,
      )) as Reply;
      if (reply[0] === "created") await client.zadd(keys.meshIndex, 0, name);
      return reply;
    });
  }

  /**
   * Appends a Mesh change to the meshes' history. It lives under the
   * prefix's hash tag, not the mesh's, so no script can write it with the
   * mesh: it is appended right after the mesh's own script, as the index
   * entry is (a crash in between loses the change from this history only).
   */
  async function rememberMeshChange(
    kind: ChangeEvent["kind"],
    name: string,
    version: string,
    json?: string,
  ): Promise<void> {
    await runOneStep("remember a Mesh change", (client) =>
      rememberMeshChangeWith(client, kind, name, version, json),
    );
  }

  async function rememberMeshChangeWith(
    client: RedisClient,
    kind: ChangeEvent["kind"],
    name: string,
    version: string,
    json?: string,
  ): Promise<void> {
    const fields = ["k", kind, "t", "Mesh", "n", name, "v", version];
    if (json !== undefined) fields.push("j", json);
    await client.xadd(keys.meshChanges, "MAXLEN", "~", historyLength, "*", ...fields);
  }

  /** Deletes a mesh and its resources, then its index entry (put back if the mesh was created meanwhile). */
  async function deleteMesh(name: string, expectVersion: string): Promise<Reply> {
    return await run("delete Mesh", async (client) => {
      const reply = (await deleteMeshScript.run(client, keys.allOfMesh(name), [
        name,
        expectVersion,
        keys.channel,
        historyLength,
        deletedMeshHistoryMs,
        ...meshScopedTypes.map((type) => type.name),
      ])) as Reply;
      if (reply[0] === "ok")
        await rememberMeshChangeWith(client, "deleted", name, String(reply[1]));
      if (reply[0] === "ok" || reply[0] === "absent") {
        await client.zrem(keys.meshIndex, name);
        if ((await client.exists(keys.mesh(name))) === 1)
          await client.zadd(keys.meshIndex, 0, name);
      }
      return reply;
    });
  }
}

/**
 * A resource's wire JSON in two halves around the value of its creationTime:
 * the update and put scripts write the stored creationTime between them.
 */
function splitAtCreationTime(json: string): [head: string, tail: string] {
  const marker = '"creationTime":"';
  const at = json.indexOf(marker) + marker.length;
  return [json.slice(0, at), json.slice(json.indexOf('"', at))];
}

/** What the update and put scripts wrote: their reply holds the version and the creationTime kept. */
function storedWithCreationTime<R extends Resource>(
  reply: Reply,
  head: string,
  tail: string,
): StoredResource<R> {
  // The kept creationTime matched [0-9TZ:.+-]+ in the script: it needs no JSON escaping.
  return canonicalStoredResource<R>(String(reply[1]), head + String(reply[2]) + tail);
}

/** What the put script did. */
function putResult<R extends Resource>(reply: Reply, head: string, tail: string): PutResult<R> {
  return { stored: storedWithCreationTime<R>(reply, head, tail), created: reply[0] === "created" };
}

/** The change feed: one subscriber connection, opened on the first watch, shared by every listener. */
class ChangeFeed {
  private readonly listeners = new ChangeListeners();
  private readonly interruptionListeners = new Set<(error: Error) => void>();
  private subscriber: RedisConnection | undefined;
  private subscribed: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly connection: RedisConnection,
    private readonly channel: string,
  ) {}

  async watch(
    listener: (event: ChangeEvent) => void,
    onInterrupted?: (error: Error) => void,
  ): Promise<Unwatch> {
    if (this.closed) throw new StoreUnavailableError("the Redis store is closed (watch)");
    const unwatchEvents = this.listeners.add(listener);
    if (onInterrupted) this.interruptionListeners.add(onInterrupted);
    const unwatch = async () => {
      if (onInterrupted) this.interruptionListeners.delete(onInterrupted);
      await unwatchEvents();
    };
    try {
      await this.subscribe();
    } catch (error) {
      await unwatch();
      throw error;
    }
    return unwatch;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.interruptionListeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    this.subscribed = undefined;
    await subscriber?.close();
  }

  private subscribe(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    const subscriber = this.connection.duplicate();
    this.subscriber = subscriber;
    subscriber.client.on("message", (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const event = parseChangeEvent(message);
      if (event) this.listeners.emit(event);
    });
    // Messages published while the subscriber is disconnected are lost: tell who must know.
    subscriber.client.on("close", () => {
      if (this.closed || this.subscriber !== subscriber) return;
      const error = new StoreUnavailableError("the Redis change feed lost its connection");
      for (const listener of [...this.interruptionListeners]) listener(error);
    });
    // ioredis subscribes again by itself after a reconnection.
    this.subscribed = subscriber
      .run("watch", async (client) => {
        await client.subscribe(this.channel);
      })
      .catch(async (error: unknown) => {
        this.subscribed = undefined;
        this.subscriber = undefined;
        await subscriber.close();
        throw error;
      });
    return this.subscribed;
  }
}

/** A history entry from a stream entry's fields; undefined for anything our scripts would not write. */
function parseHistoryEntry(
  fields: string[],
  mesh: string | undefined,
  token: string,
): HistoryEntry | undefined {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2)
    values.set(fields[i] as string, fields[i + 1] as string);
  const name = values.get("n") ?? "";
  const event = parseChangeEvent(
    JSON.stringify({
      kind: values.get("k"),
      type: values.get("t"),
      mesh: mesh ?? name,
      name,
      version: values.get("v"),
    }),
  );
  if (!event) return undefined;
  const json = values.get("j");
  return json === undefined ? { ...event, token } : { ...event, token, json };
}
