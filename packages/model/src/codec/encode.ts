/**
 * Typed resource → wire JSON: fields in schema order (meta first), zero
 * values omitted, present messages kept (`{}`), maps with sorted keys.
 */
import type { TObject } from "@sinclair/typebox";
import { compareCodePoints } from "./decode.js";
import { fieldKind, isJsonObject, setOwn, type FieldKind } from "./schema-walk.js";

const ABSENT = Symbol("absent");

/** The wire form of a resource as a plain JSON object, keys in wire order. */
export function toWireObject(schema: TObject, value: object): Record<string, unknown> {
  return encodeMessage(schema, value as Record<string, unknown>, true);
}

/** A message's fields in wire order with their kinds, worked out once per schema. */
interface FieldPlan {
  readonly key: string;
  readonly kind: FieldKind;
  /** Meta fields of a resource are written even when empty. */
  readonly meta: boolean;
}

const plans = new WeakMap<TObject, readonly FieldPlan[]>();

function planOf(schema: TObject): readonly FieldPlan[] {
  let plan = plans.get(schema);
  if (!plan) {
    plan = Object.entries(schema.properties).map(([key, fieldSchema]) => ({
      key,
      kind: fieldKind(fieldSchema),
      meta: key === "type" || key === "name" || key === "mesh",
    }));
    plans.set(schema, plan);
  }
  return plan;
}

function encodeMessage(
  schema: TObject,
  value: Record<string, unknown>,
  topLevel = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of planOf(schema)) {
    const encoded = encodeField(field.kind, value[field.key], topLevel && field.meta);
    if (encoded !== ABSENT) out[field.key] = encoded;
  }
  return out;
}

function encodeField(kind: FieldKind, value: unknown, keepZero: boolean): unknown {
  if (value === undefined || value === null) return ABSENT;
  switch (kind.kind) {
    case "message":
      return isJsonObject(value) ? encodeMessage(kind.schema, value) : ABSENT;
    case "repeated": {
      if (!Array.isArray(value) || value.length === 0) return ABSENT;
      const itemKind = fieldKind(kind.items);
      const out: unknown[] = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        const encoded = encodeField(itemKind, value[i], true);
        out[i] = encoded === ABSENT ? {} : encoded;
      }
      return out;
    }
    case "map": {
      if (!isJsonObject(value)) return ABSENT;
      const keys = Object.keys(value);
      if (keys.length === 0) return ABSENT;
      if (keys.length > 1) keys.sort(compareCodePoints);
      const valueKind = fieldKind(kind.values);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const encoded = encodeField(valueKind, value[key], true);
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
