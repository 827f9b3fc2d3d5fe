/**
 * Builders for protobuf-JSON field kinds. Every resource schema is made of
 * these, and the codec reads their `wire` annotation to apply the
 * proto-JSON rules (integer strings, 64-bit counters as strings, durations,
 * timestamps, zero values omitted, maps sorted, oneofs).
 */
import {
  Type,
  type SchemaOptions,
  type TArray,
  type TBoolean,
  type TInteger,
  type TNumber,
  type TObject,
  type TPartial,
  type TProperties,
  type TRecord,
  type TSchema,
  type TString,
} from "@sinclair/typebox";

/** The proto-JSON kind of a scalar field, stored on its schema as `wire`. */
export type WireKind = "uint32" | "uint64" | "double" | "duration" | "timestamp";

/** An unsigned 32-bit integer: a JSON number, also accepted as a numeric string. */
export const Uint32 = (options: SchemaOptions = {}): TInteger =>
  Type.Integer({ ...options, minimum: 0, maximum: 4294967295, wire: "uint32" });

/** An unsigned 64-bit counter: a decimal string on the wire (`"3"`), numbers accepted on input. */
export const Uint64 = (options: SchemaOptions = {}): TString =>
  Type.String({ ...options, pattern: "^(0|[1-9][0-9]*)$", wire: "uint64" });

/** A double: a JSON number, also accepted as a numeric string. */
export const Double = (options: SchemaOptions = {}): TNumber =>
  Type.Number({ ...options, wire: "double" });

/**
 * A google.protobuf.Duration: `"10s"`, `"1.500s"` on the wire; Go-style input
 * (`"1m"`, `"250ms"`) is normalised. Being a message, it keeps presence (`"0s"`).
 */
export const Duration = (options: SchemaOptions = {}): TString =>
  Type.String({ ...options, wire: "duration" });

/** A google.protobuf.Timestamp: RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits. */
export const Timestamp = (options: SchemaOptions = {}): TString =>
  Type.String({ ...options, wire: "timestamp" });

/** A proto string; `""` is its zero value and is omitted on output. */
export const Str = (options: SchemaOptions = {}): TString => Type.String(options);

/** A proto bool; `false` is omitted on output. */
export const Bool = (options: SchemaOptions = {}): TBoolean => Type.Boolean(options);

/** A `map<string, string>`: written with sorted keys, omitted when empty. */
export const StringMap = (options: SchemaOptions = {}): TRecord<TString, TString> =>
  Type.Record(Type.String(), Type.String(), options);

/** A repeated field: omitted when empty. */
export const Repeated = <T extends TSchema>(items: T, options: SchemaOptions = {}): TArray<T> =>
  Type.Array(items, options);

/** Options of a message schema. */
export interface MessageOptions extends SchemaOptions {
  /** Groups of fields of which at most one may be set (a proto `oneof`). */
  oneofs?: readonly (readonly string[])[];
}

/**
 * A proto message: every field optional (proto3), unknown fields rejected.
 * A message that is present keeps its presence on output, even when empty (`{}`).
 */
export const Message = <P extends TProperties>(
  properties: P,
  options: MessageOptions = {},
): TPartial<TObject<P>> =>
  Type.Partial(Type.Object(properties), { ...options, additionalProperties: false });
