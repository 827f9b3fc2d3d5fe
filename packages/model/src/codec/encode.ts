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

/**
 * The wire JSON text of a value, written directly: the same text as
 * `JSON.stringify(toWireObject(schema, value))` without building the wire
 * object first (fewer allocations on every write of a resource). `stamps`
 * replaces top-level fields (the store's timestamps) without copying the
 * value to set them.
 */
export function toWireJson(
  schema: TObject,
  value: object,
  stamps?: Readonly<Record<string, string>>,
): string {
  return writeMessage(schema, value as Record<string, unknown>, true, stamps);
}

/** `"key":` for each field of a plan, worked out once per schema. */
const keyPrefixes = new WeakMap<TObject, readonly string[]>();

function keyPrefixesOf(schema: TObject, plan: readonly FieldPlan[]): readonly string[] {
  let prefixes = keyPrefixes.get(schema);
  if (!prefixes) {
    prefixes = plan.map((field) => `${JSON.stringify(field.key)}:`);
    keyPrefixes.set(schema, prefixes);
  }
  return prefixes;
}

/** Characters JSON.stringify would escape (lone surrogates included): such strings go through it. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal, as JSON.stringify writes it. */
function quote(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

function writeMessage(
  schema: TObject,
  value: Record<string, unknown>,
  topLevel: boolean,
  stamps?: Readonly<Record<string, string>>,
): string {
  const plan = planOf(schema);
  const prefixes = keyPrefixesOf(schema, plan);
  let out = "{";
  for (let i = 0; i < plan.length; i++) {
    const field = plan[i]!;
    const own = stamps !== undefined && Object.hasOwn(stamps, field.key) ? stamps[field.key] : value[field.key];
    const written = writeField(field.kind, own, topLevel && field.meta);
    if (written === undefined) continue;
    out += (out.length === 1 ? "" : ",") + prefixes[i]! + written;
  }
  return `${out}}`;
}

/** The JSON text of one field's value, or undefined when it is left out (as encodeField's ABSENT). */
function writeField(kind: FieldKind, value: unknown, keepZero: boolean): string | undefined {
  if (value === undefined || value === null) return undefined;
  switch (kind.kind) {
    case "message":
      return isJsonObject(value) ? writeMessage(kind.schema, value, false) : undefined;
    case "repeated": {
      if (!Array.isArray(value) || value.length === 0) return undefined;
      const itemKind = fieldKind(kind.items);
      let out = "[";
      for (let i = 0; i < value.length; i++) {
        out += (i === 0 ? "" : ",") + (writeField(itemKind, value[i], true) ?? "{}");
      }
      return `${out}]`;
    }
    case "map": {
      if (!isJsonObject(value)) return undefined;
      const keys = Object.keys(value);
      if (keys.length === 0) return undefined;
      if (keys.length > 1) keys.sort(compareCodePoints);
      const valueKind = fieldKind(kind.values);
      let out = "{";
      for (const key of keys) {
        const written = writeField(valueKind, value[key], true);
        if (written !== undefined) out += (out.length === 1 ? "" : ",") + quote(key) + ":" + written;
      }
      return `${out}}`;
    }
    case "string":
    case "duration":
    case "timestamp":
      if (value === "" && !keepZero) return undefined;
      return typeof value === "string" ? quote(value) : JSON.stringify(value);
    case "uint64":
      return value === "0" && !keepZero ? undefined : quote(String(value));
    case "bool":
      return value === false && !keepZero ? undefined : JSON.stringify(value);
    case "uint32":
    case "double":
      return value === 0 && !keepZero ? undefined : JSON.stringify(value);
  }
}
