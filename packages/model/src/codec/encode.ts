/**
 * Typed resource → wire JSON: fields in schema order (meta first), zero
 * values omitted, present messages kept (`{}`), maps with sorted keys.
 */
import type { TObject, TSchema } from "@sinclair/typebox";
import { compareCodePoints } from "./decode.js";
import { fieldKind, isJsonObject, setOwn } from "./schema-walk.js";

const ABSENT = Symbol("absent");

/** The wire form of a resource as a plain JSON object, keys in wire order. */
export function toWireObject(schema: TObject, value: object): Record<string, unknown> {
  return encodeMessage(schema, value as Record<string, unknown>, true);
}

function encodeMessage(
  schema: TObject,
  value: Record<string, unknown>,
  topLevel = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, fieldSchema] of Object.entries(schema.properties)) {
    const keepZero = topLevel && (key === "type" || key === "name" || key === "mesh");
    const encoded = encodeField(fieldSchema, value[key], keepZero);
    if (encoded !== ABSENT) out[key] = encoded;
  }
  return out;
}

function encodeField(schema: TSchema, value: unknown, keepZero: boolean): unknown {
  if (value === undefined || value === null) return ABSENT;
  const kind = fieldKind(schema);
  switch (kind.kind) {
    case "message":
      return isJsonObject(value) ? encodeMessage(kind.schema, value) : ABSENT;
    case "repeated":
      if (!Array.isArray(value) || value.length === 0) return ABSENT;
      return value.map((item) => {
        const encoded = encodeField(kind.items, item, true);
        return encoded === ABSENT ? {} : encoded;
      });
    case "map": {
      if (!isJsonObject(value)) return ABSENT;
      const keys = Object.keys(value).sort(compareCodePoints);
      if (keys.length === 0) return ABSENT;
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const encoded = encodeField(kind.values, value[key], true);
        if (encoded !== ABSENT) setOwn(out, key, encoded);
      }
      return out;
    }
    case "string":
    case "duration":
    case "timestamp":
      return value === "" && !keepZero ? ABSENT : value;
    case "uint64":
      return value === "0" && !keepZero ? ABSENT : String(value);
    case "bool":
      return value === false && !keepZero ? ABSENT : value;
    case "uint32":
    case "double":
      return value === 0 && !keepZero ? ABSENT : value;
  }
}
