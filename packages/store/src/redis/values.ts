/**
 * Records as Redis holds them: `<version> <wire JSON>`, so that reading a
 * resource is one GET/HGET. Records are decoded with the model's codec on
 * the way out: Redis is a trust boundary like any request body. A record
 * read again with exactly the text already decoded is served from a
 * bounded cache (RecordDecoder) instead of being decoded again.
 */
import {
  parseResource,
  ResourceDecodeError,
  type AnyResourceType,
  type ResourceOf,
} from "@kuma-ts/model";
import type { StoredResource } from "../contract.js";
import { CorruptedValueError } from "../errors.js";
import { storedResource } from "../stored-resource.js";

const VERSION = /^[0-9]{1,20}$/;

/** The record of a resource version. */
export function encodeRecord(version: string, json: string): string {
  return `${version} ${json}`;
}

/** Where a record lives, for error messages. */
export interface RecordLocation {
  /** The Redis key. */
  readonly key: string;
  /** The hash field, for a mesh-scoped resource. */
  readonly field?: string;
}

/**
 * Decodes a record read from `location`, expected to hold `type` named
 * `name` in `mesh`; throws CorruptedValueError naming the key otherwise.
 */
export function decodeRecord<T extends AnyResourceType>(
  type: T,
  mesh: string | undefined,
  name: string,
  record: string,
  location: RecordLocation,
): StoredResource<ResourceOf<T>> {
  const corrupted = (reason: string): CorruptedValueError =>
    new CorruptedValueError(
      location.key,
      location.field === undefined ? reason : `field ${location.field}: ${reason}`,
    );
  const space = record.indexOf(" ");
  const version = record.slice(0, space);
  if (space < 0 || !VERSION.test(version))
    throw corrupted("the record does not start with a version");
  const json = record.slice(space + 1);
  let resource: ResourceOf<T>;
  try {
    resource = parseResource(type, json);
  } catch (error) {
    if (error instanceof ResourceDecodeError)
      throw corrupted(`not a valid ${type.name}: ${error.message}`);
    throw error;
  }
  if (resource.name !== name)
    throw corrupted(`holds ${type.name} ${JSON.stringify(resource.name)}`);
  if (mesh !== undefined && (resource as { mesh?: string }).mesh !== mesh) {
    throw corrupted(
      `holds a ${type.name} of mesh ${JSON.stringify((resource as { mesh?: string }).mesh)}`,
    );
  }
  return storedResource(resource, version, json);
}

/** A record and what it decoded to. */
interface Decoded {
  readonly record: string;
  readonly stored: StoredResource;
}

/**
 * decodeRecord with a bounded cache of the records it already decoded, per
 * store: a record read again at the same place (key and field) with
 * exactly the same text — version included — is the same StoredResource,
 * the same frozen object, without a second decode. Any other text is
 * decoded (and checked) as if nothing were cached, so the cache cannot
 * serve a record that changed underneath it, nor hide a corrupted one: it
 * only skips work whose result it already knows (a location fixes type,
 * mesh and name, and decoding is a function of those and the text).
 *
 * The bound is `capacity` records, kept in two generations of half of it:
 * new and reused records go to the young one; when it is full it becomes
 * the old one and the previous old one is dropped. A record is thus kept
 * while it was used among roughly the last capacity/2 to capacity records
 * used, at O(1) per read, and a collection of up to capacity/2 records
 * listed over and over stays cached whole.
 */
export class RecordDecoder {
  /** By key, then by hash field ("" for a string key). */
  private young = new Map<string, Map<string, Decoded>>();
  private old = new Map<string, Map<string, Decoded>>();
  private youngSize = 0;
  private oldSize = 0;
  private readonly generation: number;

  /** `capacity`: how many decoded records to keep at most; 0 keeps none. */
  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 0)
      throw new RangeError(`invalid record cache size ${capacity}`);
    this.generation = Math.ceil(capacity / 2);
  }

  /** How many records are cached (an entry may be counted in both generations). */
  get size(): number {
    return this.youngSize + this.oldSize;
  }

  /**
   * decodeRecord of a record read from `key` (and `field` of it, for a hash),
   * or the result of decoding this very text at this place before.
   */
  decode<T extends AnyResourceType>(
    type: T,
    mesh: string | undefined,
    name: string,
    record: string,
    key: string,
    field?: string,
  ): StoredResource<ResourceOf<T>> {
    const place = field ?? "";
    const young = this.young.get(key)?.get(place);
    if (young !== undefined && young.record === record)
      return young.stored as StoredResource<ResourceOf<T>>;
    const old = young === undefined ? this.old.get(key)?.get(place) : undefined;
    if (old !== undefined && old.record === record) {
      this.keep(key, place, old);
      return old.stored as StoredResource<ResourceOf<T>>;
    }
    const stored = decodeRecord(
      type,
      mesh,
      name,
      record,
      field === undefined ? { key } : { key, field },
    );
    if (this.generation > 0) this.keep(key, place, { record, stored });
    return stored;
  }

  private keep(key: string, field: string, decoded: Decoded): void {
    let fields = this.young.get(key);
    if (fields?.has(field)) {
      fields.set(field, decoded);
      return;
    }
    if (this.youngSize >= this.generation) {
      this.old = this.young;
      this.oldSize = this.youngSize;
      this.young = new Map();
      this.youngSize = 0;
      fields = undefined;
    }
    if (fields === undefined) {
      fields = new Map();
      this.young.set(key, fields);
    }
    fields.set(field, decoded);
    this.youngSize++;
  }
}
