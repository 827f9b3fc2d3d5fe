/**
 * The Redis key layout. Every key of a mesh carries the hash tag
 * `{<prefix>:<mesh>}`, so a mesh lives in one Redis Cluster slot and every
 * script that writes it is single-slot:
 *
 *   {<prefix>:<mesh>}:mesh             STRING  the Mesh record
 *   {<prefix>:<mesh>}:version          STRING  the mesh's version counter
 *   {<prefix>:<mesh>}:<Type>           HASH    resource name → record
 *   {<prefix>:<mesh>}:<Type>:names     ZSET    resource names, score 0 (lexicographic paging)
 *   {<prefix>:<mesh>}:changes          STREAM  the mesh's history: its changes, its Mesh's included
 *                                              (expires a while after the mesh is deleted)
 *   {<prefix>}:meshes                  ZSET    mesh names, score 0
 *   {<prefix>}:meshes:changes          STREAM  the meshes' history: the changes of every Mesh
 *   {<prefix>}:id                      STRING  the store's id, in its resume tokens
 *   {<prefix>}:global-secrets          HASH    global secret name → `<version> <base64 data>`
 *   {<prefix>}:global-secrets:version  STRING  the global secrets' version counter
 *   <prefix>:rl:<bucket>               HASH    a rate limit's token bucket (expires once full again)
 *   <prefix>:slots:<key>               ZSET    slot leases (open watches): holder → expiry in ms on the
 *                                              server's clock (expires with its last lease)
 *   {<prefix>}:events                  channel change events (PUBLISH)
 *
 * A record is `<version> <wire JSON>`. Key parts are only ever built from
 * names that passed isValidName (`[0-9a-z_-]`), and prefixes may not hold
 * `{`, `}` or `:`, so no two (prefix, mesh, type) triples share a key.
 */
import { meshScopedTypes, type AnyResourceType } from "@kuma-ts/model";

const PREFIX = /^[A-Za-z0-9_.-]{1,64}$/;

/** The keys of one store (one key prefix). */
export class RedisKeys {
  /** The index of mesh names. */
  readonly meshIndex: string;
  /** The channel change events are published on. */
  readonly channel: string;
  /** The history of Mesh changes. */
  readonly meshChanges: string;
  /** The store's id. */
  readonly storeId: string;
  /** The global secrets. */
  readonly globalSecrets: string;
  /** The global secrets' version counter. */
  readonly globalSecretsVersion: string;

  constructor(readonly prefix: string) {
    if (!PREFIX.test(prefix)) {
      throw new TypeError(
        `invalid Redis key prefix ${JSON.stringify(prefix)}: use 1 to 64 letters, digits, '_', '-' or '.'`,
      );
    }
    this.meshIndex = `{${prefix}}:meshes`;
    this.channel = `{${prefix}}:events`;
    this.meshChanges = `{${prefix}}:meshes:changes`;
    this.storeId = `{${prefix}}:id`;
    this.globalSecrets = `{${prefix}}:global-secrets`;
    this.globalSecretsVersion = `{${prefix}}:global-secrets:version`;
  }

  /** A rate limit's token bucket; buckets carry no hash tag, each is a script's only key. */
  tokenBucket(bucket: string): string {
    return `${this.prefix}:rl:${bucket}`;
  }

  /** The slot leases of a key (a caller's open watches); like buckets, no hash tag: each is a script's only key. */
  slotLeases(key: string): string {
    return `${this.prefix}:slots:${key}`;
  }

  /** The hash tag of a mesh: `{<prefix>:<mesh>}`. */
  meshTag(mesh: string): string {
    return `{${this.prefix}:${mesh}}`;
  }

  /** The Mesh record. */
  mesh(mesh: string): string {
    return `${this.meshTag(mesh)}:mesh`;
  }

  /** The mesh's version counter. */
  version(mesh: string): string {
    return `${this.meshTag(mesh)}:version`;
  }

  /** The hash of a mesh-scoped type's records in a mesh. */
  items(mesh: string, type: AnyResourceType): string {
    return `${this.meshTag(mesh)}:${type.name}`;
  }

  /** The sorted set of a mesh-scoped type's names in a mesh. */
  names(mesh: string, type: AnyResourceType): string {
    return `${this.meshTag(mesh)}:${type.name}:names`;
  }

  /** The mesh's history (kept for a while after the mesh is deleted, so resuming watchers see the deletion). */
  changes(mesh: string): string {
    return `${this.meshTag(mesh)}:changes`;
  }

  /** Every key a mesh can have, in the order the mesh deletion script takes them. */
  allOfMesh(mesh: string): string[] {
    return [
      this.mesh(mesh),
      this.version(mesh),
      ...meshScopedTypes.flatMap((type) => [this.items(mesh, type), this.names(mesh, type)]),
      this.changes(mesh),
    ];
  }
}
