/**
 * JSON value → typed resource, with the proto-JSON rules of resources.md §2:
 * integers from numbers or numeric strings, 64-bit counters as strings,
 * durations and timestamps normalised, zero values dropped, maps sorted,
 * unknown fields rejected with their path. Every problem is collected, in
 * document order, into one ResourceDecodeError.
 */
import type { TObject, TSchema } from "@sinclair/typebox";
import { ResourceDecodeError, type Cause } from "../errors.js";
import { fitsProtoDuration, formatProtoDuration, parseDuration } from "./duration.js";
import { fieldKind, fieldPath, isJsonObject, setOwn } from "./schema-walk.js";
import { formatTimestamp, parseTimestamp } from "./timestamp.js";

const ABSENT = Symbol("absent");
type Decoded = unknown | typeof ABSENT;

const MAX_UINT32 = 4294967295;
const MAX_UINT64 = 18446744073709551615n;
const NUMERIC = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const UNSIGNED_DIGITS = /^\d+$/;

/** How lenient decoding is about the source format. */
export interface DecodeOptions {
  /**
   * YAML writes an empty message as a key without a value (`builtin:`), which
   * reads as null: treat null as `{}` for message fields instead of "not set".
   */
  readonly nullAsEmptyMessage?: boolean;
}

interface DecodeContext {
  readonly causes: Cause[];
  readonly options: DecodeOptions;
}

/** Fields every resource body may carry besides its schema's (a Mesh body's `mesh` is ignored). */
const IGNORED_IN_GLOBAL = new Set(["mesh"]);

/** Parses JSON text; a syntax error or a non-object is a `malformed` ResourceDecodeError. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ResourceDecodeError("malformed", [
      { field: "", message: (error as Error).message || "invalid JSON" },
    ]);
  }
  if (!isJsonObject(value)) {
    throw new ResourceDecodeError("malformed", [
      { field: "", message: "the body must be a JSON object" },
    ]);
  }
  return value;
}

/**
 * Decodes a parsed JSON object against a resource schema. Meta fields are
 * kept even when empty (the caller checks them against the URL); `mesh` in
 * the body of a global resource is accepted and dropped.
 */
export function decodeObject(
  schema: TObject,
  value: Record<string, unknown>,
  options: DecodeOptions = {},
): Record<string, unknown> {
  const causes: Cause[] = [];
  const decoded = decodeMessage(schema, value, "", { causes, options }, true);
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return decoded;
}

function decodeMessage(
  schema: TObject,
  value: Record<string, unknown>,
  path: string,
  ctx: DecodeContext,
  topLevel = false,
): Record<string, unknown> {
  const { causes } = ctx;
  const fields = new Map<string, unknown>();
  for (const key of Object.keys(value)) {
    const childPath = fieldPath.field(path, key);
    const fieldSchema = Object.hasOwn(schema.properties, key) ? schema.properties[key] : undefined;
    if (!fieldSchema) {
      if (!(topLevel && IGNORED_IN_GLOBAL.has(key))) causes.push({ field: childPath, message: "unknown field" });
      continue;
    }
    const raw = value[key];
    if (raw === null) {
      // proto-JSON: null means "not set"; from YAML it may mean an empty message.
      if (ctx.options.nullAsEmptyMessage && fieldKind(fieldSchema).kind === "message") fields.set(key, {});
      continue;
    }
    const keepZero = topLevel && (key === "type" || key === "name" || key === "mesh");
    const decoded = decodeField(fieldSchema, raw, childPath, ctx, keepZero);
    if (decoded !== ABSENT) fields.set(key, decoded);
  }
  for (const group of messageOneofs(schema)) {
    if (group.filter((member) => fields.has(member)).length > 1) {
      causes.push({ field: path, message: `must have exactly one of: ${group.join(", ")}` });
    }
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (fields.has(key)) out[key] = fields.get(key);
  }
  return out;
}

function messageOneofs(schema: TObject): readonly (readonly string[])[] {
  const kind = fieldKind(schema);
  return kind.kind === "message" ? kind.oneofs : [];
}

function decodeField(
  schema: TSchema,
  value: unknown,
  path: string,
  ctx: DecodeContext,
  keepZero: boolean,
): Decoded {
  const kind = fieldKind(schema);
  const fail = (message: string): typeof ABSENT => {
    ctx.causes.push({ field: path, message });
    return ABSENT;
  };
  switch (kind.kind) {
    case "message":
      if (!isJsonObject(value)) return fail("must be an object");
      return decodeMessage(kind.schema, value, path, ctx);
    case "repeated": {
      if (!Array.isArray(value)) return fail("must be an array");
      if (value.length === 0) return ABSENT;
      // Elements are never dropped: `[{}]` and `[""]` keep their length for validation.
      return value.map((item, i) => {
        const decoded = decodeField(kind.items, item, fieldPath.index(path, i), ctx, true);
        return decoded === ABSENT ? undefined : decoded;
      });
    }
    case "map": {
      if (!isJsonObject(value)) return fail("must be an object");
      const keys = Object.keys(value).sort(compareCodePoints);
      if (keys.length === 0) return ABSENT;
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const decoded = decodeField(kind.values, value[key], fieldPath.key(path, key), ctx, true);
        if (decoded !== ABSENT) setOwn(out, key, decoded);
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") return fail("must be a string");
      return value === "" && !keepZero ? ABSENT : value;
    case "bool":
      if (typeof value !== "boolean") return fail("must be a boolean");
      return value || keepZero ? value : ABSENT;
    case "uint32": {
      const n = toNumber(value);
      if (n === undefined) return fail("must be an integer");
      if (!Number.isInteger(n) || n < 0 || n > MAX_UINT32) return fail("must be an unsigned 32-bit integer");
      return n === 0 && !keepZero ? ABSENT : n;
    }
    case "uint64": {
      const n = toUint64(value);
      if (n === "not-a-number") return fail("must be an integer");
      if (n === undefined) return fail("must be an unsigned 64-bit integer");
      return n === 0n && !keepZero ? ABSENT : n.toString();
    }
    case "double": {
      const n = toNumber(value);
      if (n === undefined || !Number.isFinite(n)) return fail("must be a number");
      return n === 0 && !keepZero ? ABSENT : n;
    }
    case "duration": {
      const nanos = typeof value === "string" ? parseDuration(value) : undefined;
      if (nanos === undefined || !fitsProtoDuration(nanos)) return fail('must be a duration such as "10s"');
      return formatProtoDuration(nanos);
    }
    case "timestamp": {
      const time = typeof value === "string" ? parseTimestamp(value) : undefined;
      if (!time) return fail("must be an RFC 3339 timestamp");
      return formatTimestamp(time);
    }
  }
}

/** A JSON number, or a string holding one; undefined for anything else. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && NUMERIC.test(value)) return Number(value);
  return undefined;
}

/** An unsigned 64-bit integer from a number or a decimal string; undefined when out of range. */
function toUint64(value: unknown): bigint | undefined | "not-a-number" {
  if (typeof value === "string" && UNSIGNED_DIGITS.test(value)) {
    const n = BigInt(value);
    return n <= MAX_UINT64 ? n : undefined;
  }
  const n = toNumber(value);
  if (n === undefined) return "not-a-number";
  if (!Number.isInteger(n) || n < 0) return undefined;
  const big = BigInt(n);
  return big <= MAX_UINT64 ? big : undefined;
}

/** Byte-order comparison of strings by code point (what Go's sort.Strings does on UTF-8). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i) ?? 0;
    const y = b.codePointAt(i) ?? 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x > 0xffff) i++;
  }
  return a.length < b.length ? -1 : 1;
}
