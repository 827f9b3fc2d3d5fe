/**
 * Invariant scans of the real keyspace a store left behind (layout:
 * packages/store/src/redis/keys.ts). SCANs every node for the keys of one
 * prefix and checks, without going through the store:
 *
 * - every key has a known shape and type;
 * - no key of a mesh exists without its Mesh record (no orphan of a deleted
 *   mesh), except its history: watchers of a deleted mesh see the deletion;
 * - every Mesh record is in the mesh index; index entries without a Mesh are
 *   reported as leftovers (design.md's crash-safe ordering allows them);
 * - every record decodes with the model's codec, holds the name and mesh of
 *   its key, and has a version no greater than its mesh's counter; versions
 *   within a mesh are distinct;
 * - each (mesh, type) hash and its sorted set of names hold the same names;
 * - in a cluster, all keys of a mesh are in one slot.
 */
import {
  MeshType,
  meshScopedTypes,
  parseResource,
  type AnyResourceType,
  type Resource,
} from "@kuma-ts/model";
import { Redis } from "ioredis";
import type { RedisNode } from "./redis-backends.js";

/** A decoded record. */
export interface ScannedRecord {
  readonly version: string;
  readonly resource: Resource;
}

/** What a scan found. */
export interface KeyspaceScan {
  /** How many keys the prefix has. */
  readonly keys: number;
  /** Mesh name → its Mesh record. */
  readonly meshes: ReadonlyMap<string, ScannedRecord>;
  /** `<mesh>/<Type>/<name>` → record, for every mesh-scoped resource. */
  readonly resources: ReadonlyMap<string, ScannedRecord>;
  /** The mesh index. */
  readonly index: readonly string[];
  /** Index entries without a Mesh record. */
  readonly indexLeftovers: readonly string[];
  /** Every broken invariant, as a sentence. */
  readonly violations: readonly string[];
}

/** Options of scanKeyspace. */
export interface ScanOptions {
  readonly password?: string;
  /** Also check that each mesh's keys share one cluster slot. */
  readonly cluster?: boolean;
}

interface RawKey {
  readonly key: string;
  readonly type: string;
  readonly value: unknown;
  readonly slot?: number;
}

/** The keys of the prefix's own hash tag besides the mesh index, with their types. */
const storeKeys: Readonly<Record<string, string>> = {
  "meshes:changes": "stream",
  id: "string",
  "global-secrets": "hash",
  "global-secrets:version": "string",
};

const typesByName = new Map<string, AnyResourceType>(meshScopedTypes.map((t) => [t.name, t]));

/** The key of a resource in KeyspaceScan.resources. */
export const resourceId = (mesh: string, type: string, name: string): string =>
  `${mesh}/${type}/${name}`;

/** Scans the keys of `prefix` on every node and checks the invariants. */
export async function scanKeyspace(
  nodes: readonly RedisNode[],
  prefix: string,
  options: ScanOptions = {},
): Promise<KeyspaceScan> {
  const raw = (await Promise.all(nodes.map((node) => readNode(node, prefix, options)))).flat();
  const violations: string[] = [];
  const meshes = new Map<string, ScannedRecord>();
  const resources = new Map<string, ScannedRecord>();
  let index: string[] = [];

  const meshTag = new RegExp(`^\\{${escapeRegExp(prefix)}:([0-9a-z_-]+)\\}:(.+)$`);
  const byMesh = new Map<string, RawKey[]>();
  for (const entry of raw) {
    if (entry.key === `{${prefix}}:meshes`) {
      if (entry.type !== "zset") violations.push(`${entry.key} is a ${entry.type}, not a zset`);
      else index = zsetMembers(entry, violations);
      continue;
    }
    const storeKey = entry.key.startsWith(`{${prefix}}:`)
      ? storeKeys[entry.key.slice(`{${prefix}}:`.length)]
      : undefined;
    if (storeKey !== undefined) {
      if (entry.type !== storeKey)
        violations.push(`${entry.key} is a ${entry.type}, not a ${storeKey}`);
      continue;
    }
    const match = meshTag.exec(entry.key);
    if (!match) {
      if (entry.key.startsWith(`{${prefix}}`) || entry.key.startsWith(`{${prefix}:`))
        violations.push(`unknown key ${entry.key}`);
      continue;
    }
    const mesh = match[1] as string;
    byMesh.set(mesh, [...(byMesh.get(mesh) ?? []), entry]);
  }

  for (const [mesh, entries] of byMesh) {
    const find = (suffix: string): RawKey | undefined =>
      entries.find((e) => e.key === `{${prefix}:${mesh}}:${suffix}`);
    const history = find("changes");
    if (history && history.type !== "stream")
      violations.push(`${history.key} is a ${history.type}, not a stream`);
    const meshKey = find("mesh");
    if (!meshKey) {
      if (entries.length === 1 && history) continue; // the history of a deleted mesh
      violations.push(
        `mesh ${mesh} has no Mesh record but keys ${entries.map((e) => e.key).join(", ")}`,
      );
      continue;
    }
    const counterKey = find("version");
    const counter =
      counterKey && counterKey.type === "string" ? String(counterKey.value) : undefined;
    if (counter === undefined || !/^\d+$/.test(counter))
      violations.push(
        `mesh ${mesh}: version counter missing or not an integer (${String(counterKey?.value)})`,
      );
    const versions = new Map<string, string>();
    const checkVersion = (version: string, where: string): void => {
      if (counter !== undefined && /^\d+$/.test(counter) && BigInt(version) > BigInt(counter))
        violations.push(`${where}: version ${version} is above the mesh counter ${counter}`);
      const other = versions.get(version);
      if (other) violations.push(`${where} and ${other} share version ${version}`);
      versions.set(version, where);
    };

    const meshRecord =
      meshKey.type === "string" ? decode(MeshType, String(meshKey.value), meshKey.key) : undefined;
    if (typeof meshRecord === "string") violations.push(meshRecord);
    else if (meshRecord === undefined)
      violations.push(`${meshKey.key} is a ${meshKey.type}, not a string`);
    else {
      if (meshRecord.resource.name !== mesh)
        violations.push(`${meshKey.key} holds mesh ${meshRecord.resource.name}`);
      meshes.set(mesh, meshRecord);
      checkVersion(meshRecord.version, meshKey.key);
    }

    for (const entry of entries) {
      const suffix = entry.key.slice(`{${prefix}:${mesh}}:`.length);
      if (suffix === "mesh" || suffix === "version" || suffix === "changes") continue;
      const [typeName, names] = suffix.split(":");
      const type = typesByName.get(typeName ?? "");
      if (!type || (names !== undefined && names !== "names") || suffix.split(":").length > 2) {
        violations.push(`unknown key ${entry.key}`);
        continue;
      }
      if (names === "names") {
        if (entry.type !== "zset") violations.push(`${entry.key} is a ${entry.type}, not a zset`);
        continue; // compared with its hash below
      }
      if (entry.type !== "hash") {
        violations.push(`${entry.key} is a ${entry.type}, not a hash`);
        continue;
      }
      const hash = entry.value as Record<string, string>;
      const zsetKey = find(`${type.name}:names`);
      const zset = zsetKey?.type === "zset" ? zsetMembers(zsetKey, violations) : [];
      const fields = Object.keys(hash).sort();
      if (fields.join("\n") !== [...zset].sort().join("\n")) {
        violations.push(
          `${entry.key} and its names disagree: hash [${fields.join(",")}], names [${zset.join(",")}]`,
        );
      }
      for (const [name, value] of Object.entries(hash)) {
        const where = `${entry.key}[${name}]`;
        const record = decode(type, value, where);
        if (typeof record === "string") {
          violations.push(record);
          continue;
        }
        const held = record.resource as { name: string; mesh?: string };
        if (held.name !== name || held.mesh !== mesh)
          violations.push(`${where} holds ${held.mesh ?? "?"}/${held.name}`);
        checkVersion(record.version, where);
        resources.set(resourceId(mesh, type.name, name), record);
      }
    }
    for (const entry of entries) {
      if (!entry.key.endsWith(":names")) continue;
      const hashKey = entry.key.slice(0, -":names".length);
      if (!entries.some((e) => e.key === hashKey))
        violations.push(`${entry.key} exists without ${hashKey}`);
    }
    if (options.cluster) {
      const slots = new Set(entries.map((e) => e.slot));
      if (slots.size !== 1) violations.push(`mesh ${mesh} spans slots ${[...slots].join(", ")}`);
    }
  }

  for (const mesh of meshes.keys()) {
    if (!index.includes(mesh)) violations.push(`mesh ${mesh} is missing from the mesh index`);
  }
  return {
    keys: raw.length,
    meshes,
    resources,
    index,
    indexLeftovers: index.filter((mesh) => !meshes.has(mesh)),
    violations,
  };
}

/** Every key of the prefix on one node, with its type, value and (cluster) slot. */
async function readNode(node: RedisNode, prefix: string, options: ScanOptions): Promise<RawKey[]> {
  const redis = new Redis({
    host: node.host,
    port: node.port,
    ...(options.password ? { password: options.password } : {}),
    maxRetriesPerRequest: 1,
  });
  try {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await redis.scan(cursor, "MATCH", `{${prefix}*`, "COUNT", 1000);
      keys.push(...found);
      cursor = next;
    } while (cursor !== "0");
    return await Promise.all(
      keys.map(async (key): Promise<RawKey> => {
        const type = await redis.type(key);
        const value =
          type === "string"
            ? await redis.get(key)
            : type === "hash"
              ? await redis.hgetall(key)
              : type === "zset"
                ? await redis.zrange(key, 0, -1, "WITHSCORES")
                : undefined;
        const slot = options.cluster ? Number(await redis.cluster("KEYSLOT", key)) : undefined;
        return { key, type, value, ...(slot === undefined ? {} : { slot }) };
      }),
    );
  } finally {
    redis.disconnect();
  }
}

/** The members of a sorted set read WITHSCORES; every score must be 0. */
function zsetMembers(entry: RawKey, violations: string[]): string[] {
  const flat = entry.value as string[];
  const members: string[] = [];
  for (let i = 0; i < flat.length; i += 2) {
    members.push(flat[i] as string);
    if (flat[i + 1] !== "0")
      violations.push(`${entry.key}: ${flat[i]} has score ${flat[i + 1]}, not 0`);
  }
  return members;
}

/** A record `<version> <JSON>` decoded with the model's codec, or why it does not decode. */
function decode(type: AnyResourceType, value: string, where: string): ScannedRecord | string {
  const match = /^(\d{1,20}) ([\s\S]*)$/.exec(value);
  if (!match) return `${where}: the record does not start with a version`;
  try {
    return {
      version: match[1] as string,
      resource: parseResource(type, match[2] as string) as Resource,
    };
  } catch (error) {
    return `${where}: not a valid ${type.name}: ${(error as Error).message}`;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
