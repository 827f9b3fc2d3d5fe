/**
 * The model's TypeBox schemas as OpenAPI 3.1 schemas (JSON Schema 2020-12).
 * TypeBox already writes JSON Schema; what is ours is the proto-JSON
 * annotation `wire` on scalar fields, which becomes the formats and
 * patterns of the document:
 *
 * | wire        | output (what the server writes)           | input (what a PUT body may use)        |
 * |-------------|-------------------------------------------|----------------------------------------|
 * | `uint32`    | integer                                   | integer or decimal string              |
 * | `uint64`    | decimal string, `format: uint64`          | decimal string or integer              |
 * | `double`    | number                                    | number or numeric string               |
 * | `duration`  | `"10s"`, `"1.500s"` (a pattern)           | also Go style: `"1m"`, `"250ms"`       |
 * | `timestamp` | RFC 3339, `format: date-time`             | the same                               |
 *
 * (JSON Schema's `duration` format is ISO 8601, hence a pattern rather than
 * a format.) Annotations of other tools (`$id`, the configuration's `configKind`,
 * `secret`) are dropped; a proto `oneof` becomes a sentence of the
 * description (at most one of the fields may be set).
 */
import type { TSchema } from "@sinclair/typebox";
import type { WireKind } from "@kuma-ts/model";
import type { SchemaMode } from "./route-docs.js";

/** A JSON Schema object of the document. */
export type JsonSchema = { [key: string]: unknown };

/** A proto-JSON duration as written: seconds with 0, 3, 6 or 9 fraction digits. */
export const PROTO_DURATION_PATTERN = "^-?(0|[1-9][0-9]*)(\\.([0-9]{3}|[0-9]{6}|[0-9]{9}))?s$";

const NUMERIC_STRING = "^-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$";

const DROPPED = new Set([
  "$id",
  "wire",
  "configKind",
  "secret",
  "oneofs",
  "env",
  "yamlOnly",
  "allowZero",
]);
const SCHEMA_MAPS = ["properties", "patternProperties", "$defs"];
const SCHEMA_LISTS = ["anyOf", "oneOf", "allOf", "prefixItems"];
const SCHEMA_VALUES = [
  "items",
  "additionalProperties",
  "not",
  "if",
  "then",
  "else",
  "contains",
  "propertyNames",
];

/** Receives a nested schema that has an `$id` (a resource), converted, and answers the `$ref` that replaces it. */
export type RefRegistry = (name: string, schema: JsonSchema) => JsonSchema;

/**
 * Converts a TypeBox schema (symbols and all) to a plain JSON Schema of the
 * document. With `refs`, a nested schema with an `$id` (every resource has
 * one) is handed to it and replaced by the `$ref` it answers.
 */
export function toJsonSchema(
  schema: TSchema,
  mode: SchemaMode = "output",
  refs?: RefRegistry,
): JsonSchema {
  return convert(JSON.parse(JSON.stringify(schema)) as JsonSchema, mode, refs, true);
}

function convert(
  schema: JsonSchema,
  mode: SchemaMode,
  refs: RefRegistry | undefined,
  root = false,
): JsonSchema {
  if (!root && refs && typeof schema.$id === "string") {
    const name = mode === "input" ? `${schema.$id}Input` : schema.$id;
    return refs(name, convert(schema, mode, refs, true));
  }
  // A structured configuration setting: its value's schema, with the setting's default and description.
  if (typeof schema.valueSchema === "object" && schema.valueSchema !== null) {
    const { valueSchema, ...setting } = schema;
    return convert({ ...(valueSchema as JsonSchema), ...setting }, mode, refs, root);
  }
  const wire = schema.wire as WireKind | undefined;
  const out: JsonSchema = {};
  const sub = (value: JsonSchema): JsonSchema => convert(value, mode, refs);
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key)) continue;
    if (SCHEMA_MAPS.includes(key)) {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([name, item]) => [
          name,
          sub(item),
        ]),
      );
    } else if (SCHEMA_LISTS.includes(key)) {
      out[key] = (value as JsonSchema[]).map(sub);
    } else if (SCHEMA_VALUES.includes(key) && typeof value === "object" && value !== null) {
      out[key] = sub(value as JsonSchema);
    } else {
      out[key] = value;
    }
  }
  const oneofs = schema.oneofs as readonly (readonly string[])[] | undefined;
  if (oneofs && oneofs.length > 0) {
    const sentence = oneofs.map(
      (group) => `at most one of ${group.map((f) => `\`${f}\``).join(", ")} may be set`,
    );
    out.description = [out.description, `${sentence.join("; ")} (a proto oneof).`]
      .filter(Boolean)
      .join(" ");
  }
  return wire ? wireSchema(wire, out, mode) : out;
}

/** The formats of one proto-JSON scalar. */
function wireSchema(wire: WireKind, base: JsonSchema, mode: SchemaMode): JsonSchema {
  const { type: _type, pattern: _pattern, minimum: _min, maximum: _max, ...annotations } = base;
  const note = (text: string): string => [annotations.description, text].filter(Boolean).join(" ");
  switch (wire) {
    case "uint32":
      return mode === "output"
        ? { ...base, format: "uint32" }
        : {
            ...annotations,
            description: note("Unsigned 32-bit integer; a decimal string is accepted too."),
            anyOf: [
              { type: "integer", minimum: 0, maximum: 4294967295 },
              { type: "string", pattern: "^[0-9]+$" },
            ],
          };
    case "uint64":
      return mode === "output"
        ? {
            ...base,
            format: "uint64",
            description: note("Unsigned 64-bit counter, written as a decimal string (proto-JSON)."),
          }
        : {
            ...annotations,
            description: note("Unsigned 64-bit counter: a decimal string, or a JSON integer."),
            anyOf: [
              { type: "string", pattern: "^[0-9]+$" },
              { type: "integer", minimum: 0 },
            ],
          };
    case "double":
      return mode === "output"
        ? { ...base, format: "double" }
        : {
            ...annotations,
            description: note("A number; a numeric string is accepted too."),
            anyOf: [{ type: "number" }, { type: "string", pattern: NUMERIC_STRING }],
          };
    case "duration":
      return mode === "output"
        ? {
            ...annotations,
            type: "string",
            pattern: PROTO_DURATION_PATTERN,
            description: note('A google.protobuf.Duration in seconds: `"10s"`, `"1.500s"`.'),
          }
        : {
            ...annotations,
            type: "string",
            description: note(
              'A duration: `"10s"`, `"1.500s"`, or Go style (`"1m"`, `"250ms"`, `"1h30m"`).',
            ),
          };
    case "timestamp":
      return {
        ...annotations,
        type: "string",
        format: "date-time",
        description: note("RFC 3339 in UTC with 0, 3, 6 or 9 fraction digits."),
      };
  }
}
