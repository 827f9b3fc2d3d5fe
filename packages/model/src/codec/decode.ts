/**
 * JSON value → typed resource, with the proto-JSON rules of resources.md §2:
 * integers from numbers or numeric strings, 64-bit counters as strings,
 * durations and timestamps normalised, zero values dropped, maps sorted,
 * unknown fields rejected with their path. Every problem is collected, in
 * document order, into one ResourceDecodeError.
 */
import type { TObject } from "@sinclair/typebox";
import { ResourceDecodeError, type Cause } from "../errors.js";
import { fitsProtoDuration, formatProtoDuration, parseDuration } from "./duration.js";
import { fieldKind, fieldPath, isJsonObject, setOwn, type FieldKind } from "./schema-walk.js";
import { normalizeTimestamp } from "./timestamp.js";

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
  const decoded = decodeMessage(schema, value, undefined, { causes, options }, true);
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return decoded;
}

/**
 * Where a value is, kept as a chain and written out (`a.b[0]["k"]`) only
 * when a cause needs it: decoding a valid resource builds no path text.
 */
class Path {
  constructor(
    readonly parent: Path | undefined,
    /** 0: a field name, 1: an array index, 2: a map key. */
    readonly how: 0 | 1 | 2,
    readonly part: string | number,
  ) {}

  static text(path: Path | undefined): string {
    if (!path) return "";
    const parent = Path.text(path.parent);
    if (path.how === 0) return fieldPath.field(parent, path.part as string);
    if (path.how === 1) return fieldPath.index(parent, path.part as number);
    return fieldPath.key(parent, path.part as string);
  }
}

/** What decoding a message needs to know about its schema, worked out once per schema. */
interface MessagePlan {
  /** Field name → its position in the schema and its kind. */
  readonly fields: ReadonlyMap<string, { readonly position: number; readonly kind: FieldKind }>;
  /** The field names in schema (wire) order. */
  readonly order: readonly string[];
  readonly oneofs: readonly (readonly string[])[];
}

const plans = new WeakMap<TObject, MessagePlan>();

function planOf(schema: TObject): MessagePlan {
  let plan = plans.get(schema);
  if (!plan) {
    const order = Object.keys(schema.properties);
    const kind = fieldKind(schema);
    plan = {
      fields: new Map(order.map((key, position) => [key, { position, kind: fieldKind(schema.properties[key]!) }])),
      order,
      oneofs: kind.kind === "message" ? kind.oneofs : [],
    };
    plans.set(schema, plan);
  }
  return plan;
}

function decodeMessage(
  schema: TObject,
  value: Record<string, unknown>,
  path: Path | undefined,
  ctx: DecodeContext,
  topLevel = false,
): Record<string, unknown> {
  const { causes } = ctx;
  const plan = planOf(schema);
  // Fields are decoded in the order they come and put back in schema order only when they came in another.
  let out: Record<string, unknown> = {};
  let lastPosition = -1;
  let inOrder = true;
  for (const key of Object.keys(value)) {
    const field = plan.fields.get(key);
    if (!field) {
      if (!(topLevel && IGNORED_IN_GLOBAL.has(key))) {
        causes.push({ field: Path.text(new Path(path, 0, key)), message: "unknown field" });
      }
      continue;
    }
    const raw = value[key];
    let decoded: Decoded;
    if (raw === null) {
      // proto-JSON: null means "not set"; from YAML it may mean an empty message.
      if (!(ctx.options.nullAsEmptyMessage && field.kind.kind === "message")) continue;
      decoded = {};
    } else {
      const keepZero = topLevel && (key === "type" || key === "name" || key === "mesh");
      decoded = decodeField(field.kind, raw, path, 0, key, ctx, keepZero);
      if (decoded === ABSENT) continue;
    }
    out[key] = decoded;
    if (field.position < lastPosition) inOrder = false;
    lastPosition = field.position;
  }
  for (const group of plan.oneofs) {
    let present = 0;
    for (const member of group) if (Object.hasOwn(out, member)) present++;
    if (present > 1) causes.push({ field: Path.text(path), message: `must have exactly one of: ${group.join(", ")}` });
  }
  if (!inOrder) {
    const sorted: Record<string, unknown> = {};
    for (const key of plan.order) if (Object.hasOwn(out, key)) sorted[key] = out[key];
    out = sorted;
  }
  return out;
}

/** Records a cause at `part` under `parent`; the value is then left out. */
function failAt(
  ctx: DecodeContext,
  parent: Path | undefined,
  how: 0 | 1 | 2,
  part: string | number,
  message: string,
): typeof ABSENT {
  ctx.causes.push({ field: Path.text(new Path(parent, how, part)), message });
  return ABSENT;
}

/**
 * Decodes one value of the given kind, found at `part` (`how`: field,
 * index or key) under `parent`.
 */
function decodeField(
  kind: FieldKind,
  value: unknown,
  parent: Path | undefined,
  how: 0 | 1 | 2,
  part: string | number,
  ctx: DecodeContext,
  keepZero: boolean,
): Decoded {
  // Failures call failAt directly: a closure here would be one allocation per decoded field.
  switch (kind.kind) {
    case "message":
      if (!isJsonObject(value)) return failAt(ctx, parent, how, part, "must be an object");
      return decodeMessage(kind.schema, value, new Path(parent, how, part), ctx);
    case "repeated": {
      if (!Array.isArray(value)) return failAt(ctx, parent, how, part, "must be an array");
      if (value.length === 0) return ABSENT;
      const path = new Path(parent, how, part);
      const items = fieldKind(kind.items);
      // Elements are never dropped: `[{}]` and `[""]` keep their length for validation.
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) {
        const decoded = decodeField(items, value[i], path, 1, i, ctx, true);
        out.push(decoded === ABSENT ? undefined : decoded);
      }
      return out;
    }
    case "map": {
      if (!isJsonObject(value)) return failAt(ctx, parent, how, part, "must be an object");
      const keys = Object.keys(value).sort(compareCodePoints);
      if (keys.length === 0) return ABSENT;
      const path = new Path(parent, how, part);
      const values = fieldKind(kind.values);
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const decoded = decodeField(values, value[key], path, 2, key, ctx, true);
        if (decoded !== ABSENT) setOwn(out, key, decoded);
      }
      return out;
    }
    case "string":
      if (typeof value !== "string") return failAt(ctx, parent, how, part, "must be a string");
      return value === "" && !keepZero ? ABSENT : value;
    case "bool":
      if (typeof value !== "boolean") return failAt(ctx, parent, how, part, "must be a boolean");
      return value || keepZero ? value : ABSENT;
    case "uint32": {
      const n = toNumber(value);
      if (n === undefined) return failAt(ctx, parent, how, part, "must be an integer");
      if (!Number.isInteger(n) || n < 0 || n > MAX_UINT32) return failAt(ctx, parent, how, part, "must be an unsigned 32-bit integer");
      return n === 0 && !keepZero ? ABSENT : n;
    }
    case "uint64": {
      const n = toUint64(value);
      if (n === "not-a-number") return failAt(ctx, parent, how, part, "must be an integer");
      if (n === undefined) return failAt(ctx, parent, how, part, "must be an unsigned 64-bit integer");
      return n === 0n && !keepZero ? ABSENT : n.toString();
    }
    case "double": {
      const n = toNumber(value);
      if (n === undefined || !Number.isFinite(n)) return failAt(ctx, parent, how, part, "must be a number");
      return n === 0 && !keepZero ? ABSENT : n;
    }
    case "duration": {
      const nanos = typeof value === "string" ? parseDuration(value) : undefined;
      if (nanos === undefined || !fitsProtoDuration(nanos)) return failAt(ctx, parent, how, part, 'must be a duration such as "10s"');
      return formatProtoDuration(nanos);
    }
    case "timestamp": {
      const text = typeof value === "string" ? normalizeTimestamp(value) : undefined;
      return text ?? failAt(ctx, parent, how, part, "must be an RFC 3339 timestamp");
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
