/** The one codec of the system: used by the server, the client, the Redis store and kumactl. */
import type { Static, TObject } from "@sinclair/typebox";
import { ResourceDecodeError, type Cause } from "../errors.js";
import {
  resourceTypeByName,
  type Resource,
  type ResourceOf,
  type ResourceType,
} from "../registry.js";
import { decodeObject, parseJsonObject, type DecodeOptions } from "./decode.js";
import { toWireJson, toWireObject } from "./encode.js";
import { isJsonObject } from "./schema-walk.js";

/** A resource body as a client sent it: meta fields may be missing or wrong until checked against the URL. */
export type ResourceBody<T extends ResourceType> = Omit<ResourceOf<T>, "type" | "name" | "mesh"> & {
  type?: string;
  name?: string;
  mesh?: string;
};

/** Parses a request body (JSON text) for the given type; throws ResourceDecodeError. */
export function parseResourceBody<T extends ResourceType>(type: T, text: string): ResourceBody<T> {
  return decodeObject(type.schema, parseJsonObject(text)) as ResourceBody<T>;
}

/** Decodes an already parsed body (from JSON or YAML) for the given type; throws ResourceDecodeError. */
export function decodeResourceBody<T extends ResourceType>(
  type: T,
  value: unknown,
  options: DecodeOptions = {},
): ResourceBody<T> {
  if (!isJsonObject(value)) {
    throw new ResourceDecodeError("malformed", [{ field: "", message: "the body must be a JSON object" }]);
  }
  return decodeObject(type.schema, value, options) as ResourceBody<T>;
}

/** Decodes a complete resource (a stored value or a server response): meta fields must be present. */
export function decodeResource<T extends ResourceType>(type: T, value: unknown): ResourceOf<T> {
  const body = decodeResourceBody(type, value);
  const causes: Cause[] = [];
  if (body.type !== type.name) causes.push({ field: "type", message: `must be "${type.name}"` });
  if (!body.name) causes.push({ field: "name", message: "cannot be empty" });
  if (type.scope === "mesh" && !body.mesh) causes.push({ field: "mesh", message: "cannot be empty" });
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return body as ResourceOf<T>;
}

/** Parses a complete resource from JSON text. */
export function parseResource<T extends ResourceType>(type: T, text: string): ResourceOf<T> {
  return decodeResource(type, parseJsonObject(text));
}

/** The wire form of a resource as a plain object (keys in wire order), e.g. for YAML output. */
export function toWire(resource: Resource): Record<string, unknown> {
  const type = resourceTypeByName(resource.type);
  if (!type) throw new TypeError(`unknown resource type ${JSON.stringify(resource.type)}`);
  return toWireObject(type.schema, resource);
}

/** The wire JSON text of a resource. */
export function encodeResource(resource: Resource): string {
  return toWireJson(typeOfResource(resource).schema, resource);
}

/**
 * The wire JSON text of a resource with the given timestamps in place of its
 * own (what a store writes), without copying the resource to set them.
 */
export function encodeStampedResource(resource: Resource, creationTime: string, modificationTime: string): string {
  return toWireJson(typeOfResource(resource).schema, resource, { creationTime, modificationTime });
}

function typeOfResource(resource: Resource): ResourceType {
  const type = resourceTypeByName(resource.type);
  if (!type) throw new TypeError(`unknown resource type ${JSON.stringify(resource.type)}`);
  return type;
}

/** Decodes a value against any schema built from proto.ts (e.g. DataplaneOverview). */
export function decodeWire<S extends TObject>(schema: S, value: unknown): Static<S> {
  if (!isJsonObject(value)) {
    throw new ResourceDecodeError("malformed", [{ field: "", message: "the body must be a JSON object" }]);
  }
  return decodeObject(schema, value) as Static<S>;
}

/** The wire JSON object of a value of any schema built from proto.ts. */
export function encodeWire<S extends TObject>(schema: S, value: Static<S>): Record<string, unknown> {
  return toWireObject(schema, value);
}
