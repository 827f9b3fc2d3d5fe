/**
 * Records as Redis holds them: `<version> <wire JSON>`, so that reading a
 * resource is one GET/HGET. Records are decoded with the model's codec on
 * the way out: Redis is a trust boundary like any request body.
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
