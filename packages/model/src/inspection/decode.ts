/**
 * Checking inspection bodies at a trust boundary (the client): each
 * matched policy with the codec, like every resource, and the rest with
 * the schemas of schemas.ts. Problems come out as one ResourceDecodeError
 * with JSON paths.
 */
import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { decodeResource } from "../codec/resource-codec.js";
import { fieldPath, isJsonObject } from "../codec/schema-walk.js";
import { ResourceDecodeError, type Cause } from "../errors.js";
import { resourceTypeByName } from "../registry.js";
import { DataplaneInspection, PolicyDataplanesItem } from "./schemas.js";

/** The body of `GET …/dataplanes/{name}/policies`, checked and typed; throws ResourceDecodeError. */
export function decodeDataplaneInspection(value: unknown): DataplaneInspection {
  return checked(DataplaneInspection, withDecodedPolicies(value));
}

/** One item of `GET …/{collection}/{name}/dataplanes`, checked and typed; throws ResourceDecodeError. */
export function decodePolicyDataplanesItem(value: unknown): PolicyDataplanesItem {
  return checked(PolicyDataplanesItem, value);
}

function checked<S extends TSchema>(schema: S, value: unknown): S["static"] {
  const causes: Cause[] = [];
  for (const error of Value.Errors(schema, value))
    causes.push({ field: pathOf(error.path), message: error.message });
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return value as S["static"];
}

/**
 * The body with every matched policy decoded by the codec (the proto-JSON
 * rules, meta fields required); throws the codec's causes, under the
 * policy's path. Anything not shaped like an inspection is left to the schema.
 */
function withDecodedPolicies(body: unknown): unknown {
  if (!isJsonObject(body) || !Array.isArray(body.items)) return body;
  const causes: Cause[] = [];
  const items = body.items.map((item: unknown, i) => {
    if (!isJsonObject(item) || !isJsonObject(item.matchedPolicies)) return item;
    const matched: Record<string, unknown> = {};
    for (const [typeName, policies] of Object.entries(item.matchedPolicies)) {
      const type = resourceTypeByName(typeName);
      const path = fieldPath.field(
        fieldPath.field(fieldPath.index("items", i), "matchedPolicies"),
        typeName,
      );
      matched[typeName] =
        type && Array.isArray(policies)
          ? policies.map((policy: unknown, j) => {
              try {
                return decodeResource(type, policy);
              } catch (error) {
                if (!(error instanceof ResourceDecodeError)) throw error;
                for (const cause of error.causes)
                  causes.push({ ...cause, field: joined(fieldPath.index(path, j), cause.field) });
                return policy;
              }
            })
          : policies;
    }
    return { ...item, matchedPolicies: matched };
  });
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return { ...body, items };
}

function joined(prefix: string, field: string): string {
  if (field === "") return prefix;
  return field.startsWith("[") ? prefix + field : `${prefix}.${field}`;
}

/** A JSON pointer (`/items/0/name`) as a cause's field path (`items[0].name`). */
function pathOf(pointer: string): string {
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const segment = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path = /^\d+$/.test(segment)
      ? fieldPath.index(path, Number(segment))
      : fieldPath.field(path, segment);
  }
  return path;
}
