/** Reading TypeBox schemas the way the codec needs: kinds, wire annotations, map values, oneofs. */
import { Kind, type TObject, type TSchema } from "@sinclair/typebox";
import type { WireKind } from "../proto.js";

/** What the codec does with a field, derived from its schema. */
export type FieldKind =
  | { kind: "message"; schema: TObject; oneofs: readonly (readonly string[])[] }
  | { kind: "repeated"; items: TSchema }
  | { kind: "map"; values: TSchema }
  | { kind: "string" }
  | { kind: "bool" }
  | { kind: WireKind };

const cache = new WeakMap<TSchema, FieldKind>();

/** Classifies a schema built from the proto.ts builders (memoised: schemas are immutable). */
export function fieldKind(schema: TSchema): FieldKind {
  let found = cache.get(schema);
  if (!found) {
    found = classify(schema);
    cache.set(schema, found);
  }
  return found;
}

function classify(schema: TSchema): FieldKind {
  const wire = (schema as { wire?: WireKind }).wire;
  if (wire) return { kind: wire };
  switch (schema[Kind]) {
    case "Object":
      return {
        kind: "message",
        schema: schema as TObject,
        oneofs: (schema as { oneofs?: readonly (readonly string[])[] }).oneofs ?? [],
      };
    case "Array":
      return { kind: "repeated", items: (schema as unknown as { items: TSchema }).items };
    case "Record": {
      const values = Object.values(
        (schema as unknown as { patternProperties: Record<string, TSchema> }).patternProperties,
      )[0];
      if (!values) throw new TypeError("a map schema needs a value schema");
      return { kind: "map", values };
    }
    case "String":
    case "Literal":
      return { kind: "string" };
    case "Boolean":
      return { kind: "bool" };
    default:
      throw new TypeError(`the codec does not support schemas of kind ${String(schema[Kind])}`);
  }
}

/** Sets an own enumerable property, also for keys such as `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Whether a JSON value is an object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `a.b`, `a[0]`, `a["key"]`: the field paths used in validation causes. */
export const fieldPath = {
  field: (parent: string, name: string) => (parent ? `${parent}.${name}` : name),
  index: (parent: string, index: number) => `${parent}[${index}]`,
  key: (parent: string, key: string) => `${parent}[${JSON.stringify(key)}]`,
};
