/**
 * fast-check arbitraries derived from the resource schemas: canonical
 * resources (what the codec produces) and hostile bodies shaped like them.
 */
import type { TObject, TSchema } from "@sinclair/typebox";
import fc from "fast-check";
import { formatProtoDuration } from "../codec/duration.js";
import { fieldKind } from "../codec/schema-walk.js";
import { formatTimestamp } from "../codec/timestamp.js";
import type { ResourceType } from "../registry.js";

const MAX_DEPTH = 8;

/** A canonical timestamp between years 0001 and 9999. */
export const timestampArbitrary = fc
  .record({
    seconds: fc.integer({ min: -62_135_596_800, max: 253_402_300_799 }),
    nanos: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 999 }).map((ms) => ms * 1_000_000),
      fc.integer({ min: 0, max: 999_999_999 }),
    ),
  })
  .map(formatTimestamp);

const durationArbitrary = fc
  .bigInt({ min: -315_576_000_000_999_999_999n, max: 315_576_000_000_999_999_999n })
  .map(formatProtoDuration);

const nameArbitrary = fc.stringMatching(/^[0-9a-z_-]{1,20}$/);

/** A canonical value of a field: what the codec's decoder yields for it. */
function canonicalValue(schema: TSchema, depth: number, inList: boolean): fc.Arbitrary<unknown> {
  const kind = fieldKind(schema);
  switch (kind.kind) {
    case "message":
      return canonicalMessage(kind.schema, depth + 1);
    case "repeated":
      return fc.array(canonicalValue(kind.items, depth + 1, true), { minLength: 1, maxLength: 3 });
    case "map":
      return fc
        .dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { minKeys: 1, maxKeys: 4 })
        .map((dict) => ({ ...dict }));
    case "string":
      return inList ? fc.string({ maxLength: 12 }) : fc.string({ minLength: 1, maxLength: 12 });
    case "bool":
      return fc.constant(true);
    case "uint32":
      return fc.integer({ min: 1, max: 4294967295 });
    case "uint64":
      return fc.bigInt({ min: 1n, max: 18446744073709551615n }).map(String);
    case "double":
      return fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((n) => n !== 0 && Number.isFinite(n));
    case "duration":
      return durationArbitrary;
    case "timestamp":
      return timestampArbitrary;
  }
}

function canonicalMessage(schema: TObject, depth: number): fc.Arbitrary<Record<string, unknown>> {
  if (depth > MAX_DEPTH) return fc.constant({});
  const oneofs = fieldKind(schema).kind === "message" ? (fieldKind(schema) as { oneofs: readonly (readonly string[])[] }).oneofs : [];
  const inOneof = new Set(oneofs.flat());
  const plain = Object.fromEntries(
    Object.entries(schema.properties)
      .filter(([key]) => !inOneof.has(key))
      .map(([key, field]) => [key, canonicalValue(field, depth, false)]),
  );
  const groups = oneofs.map((group) =>
    fc.option(
      fc.constantFrom(...group).chain((member) =>
        canonicalValue(schema.properties[member]!, depth, false).map((value) => ({ [member]: value })),
      ),
      { nil: undefined },
    ),
  );
  return fc
    .tuple(fc.record(plain, { requiredKeys: [] }), fc.tuple(...groups))
    .map(([fields, chosen]) => Object.assign({}, fields, ...chosen.filter(Boolean)));
}

/** A canonical (decoded, normalised) resource of the given type. */
export function resourceArbitrary(type: ResourceType): fc.Arbitrary<Record<string, unknown>> {
  const { type: _t, name: _n, mesh: _m, creationTime: _c, modificationTime: _mt, ...spec } = type.schema.properties;
  const specSchema = { ...type.schema, properties: spec } as TObject;
  return fc
    .record({
      spec: canonicalMessage(specSchema, 0),
      name: nameArbitrary,
      mesh: nameArbitrary,
      creationTime: fc.option(timestampArbitrary, { nil: undefined }),
    })
    .map(({ spec: fields, name, mesh, creationTime }) => ({
      type: type.name,
      ...(type.scope === "mesh" ? { mesh } : {}),
      name,
      ...(creationTime ? { creationTime } : {}),
      ...fields,
    }));
}

/** Any JSON value that might trip a decoder: wrong types, odd numbers, deep nesting. */
const hostileLeaf = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 0, 1.5, 1e308, -0, 4294967296, "8080", "1m", "NaN", "", "__proto__", null, true),
  fc.string(),
);

/** A JSON object shaped like a resource of the type, with some values replaced by hostile ones. */
export function hostileBodyArbitrary(type: ResourceType): fc.Arbitrary<unknown> {
  return fc.oneof(
    resourceArbitrary(type).chain((resource) => mutate(resource)),
    fc.jsonValue(),
    fc.dictionary(fc.constantFrom(...Object.keys(type.schema.properties), "bogus"), hostileLeaf),
  );
}

function mutate(value: unknown): fc.Arbitrary<unknown> {
  if (Array.isArray(value)) {
    return fc.oneof(
      { weight: 3, arbitrary: fc.tuple(...value.map(mutate)) },
      { weight: 1, arbitrary: hostileLeaf },
    );
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return fc.oneof(fc.constant({}), hostileLeaf);
    return fc.oneof(
      { weight: 3, arbitrary: fc.tuple(...entries.map(([k, v]) => mutate(v).map((m) => [k, m] as const))).map(Object.fromEntries) },
      { weight: 1, arbitrary: hostileLeaf },
    );
  }
  return fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: hostileLeaf });
}
