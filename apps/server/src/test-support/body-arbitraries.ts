/**
 * fast-check arbitraries of PUT bodies: values shaped by each resource
 * type's schema (mostly plausible, sometimes of the wrong kind), then
 * mutated as text (truncated, spliced, corrupted), plus plain garbage.
 */
import fc from "fast-check";
import { resourceTypeByName, resourceTypes, type AnyResourceType } from "@kuma-ts/model";
import { loadExamples } from "./examples.js";

/** The JSON Schema keywords of TypeBox schemas that the generator reads. */
interface SchemaNode {
  readonly type?: string;
  readonly const?: unknown;
  readonly wire?: string;
  readonly properties?: Record<string, SchemaNode>;
  readonly patternProperties?: Record<string, SchemaNode>;
  readonly items?: SchemaNode;
}

const tagText = fc.oneof(
  fc.constantFrom("service", "web", "backend", "version", "protocol", "http", "tcp", "*", "", "env", "a:b"),
  fc.string({ maxLength: 8 }),
);
const anyJson = fc.jsonValue({ maxDepth: 2 });

function scalar(node: SchemaNode): fc.Arbitrary<unknown> {
  switch (node.wire) {
    case "duration":
      return fc.constantFrom("10s", "1.500s", "1m", "250ms", "0s", "-1s", "1h2m", "10", "soon", "");
    case "timestamp":
      return fc.constantFrom("2020-01-01T00:00:00Z", "2019-10-24T14:04:56.820350Z", "2020-01-01T00:00:00+02:00", "yesterday", "");
    case "uint64":
      return fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 64n }).map(String), fc.integer(), fc.constant("-1"));
    case "uint32":
      return fc.oneof(fc.integer({ min: 0, max: 70_000 }), fc.constantFrom(-1, 0.5, 2 ** 32, "8080", "x"));
    case "double":
      return fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom("1.5", "NaN"));
  }
  switch (node.type) {
    case "string":
      return tagText;
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.integer();
    case "number":
      return fc.double({ noNaN: true, noDefaultInfinity: true });
    default:
      return anyJson;
  }
}

/** Values shaped by a schema node; one time in twenty, any JSON value instead. */
function shapedBy(node: SchemaNode): fc.Arbitrary<unknown> {
  let shaped: fc.Arbitrary<unknown>;
  if (node.const !== undefined) {
    shaped = fc.constant(node.const);
  } else if (node.type === "object" && node.patternProperties) {
    shaped = fc.dictionary(tagText, shapedBy(Object.values(node.patternProperties)[0]!), { maxKeys: 3 });
  } else if (node.type === "object" && node.properties) {
    const fields = Object.fromEntries(Object.entries(node.properties).map(([key, child]) => [key, shapedBy(child)]));
    shaped = fc.record(fields, { requiredKeys: [] });
  } else if (node.type === "array" && node.items) {
    shaped = fc.array(shapedBy(node.items), { maxLength: 3 });
  } else {
    shaped = scalar(node);
  }
  return fc.oneof({ weight: 19, arbitrary: shaped }, { weight: 1, arbitrary: anyJson });
}

/** A PUT target and the body sent to it. */
export interface FuzzRequest {
  readonly path: string;
  readonly body: string;
}

const urlName = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom("fuzz-1", "fuzz-2", "fuzz_3") },
  { weight: 1, arbitrary: fc.constantFrom("Bad.Name", "x%3Ay", "%7B%7D", "a".repeat(254), "%2F") },
);

/** A body for `type`: its meta mostly matching the URL, its spec shaped by the schema. */
function resourceRequest(type: AnyResourceType): fc.Arbitrary<FuzzRequest> {
  const schema = type.schema as unknown as SchemaNode;
  const spec = shapedBy({ ...schema, properties: { ...schema.properties } });
  return fc
    .record({ spec, name: urlName, matchMeta: fc.boolean(), mesh: fc.constantFrom("default", "default", "no-such-mesh") })
    .map(({ spec, name, matchMeta, mesh }) => {
      const body =
        matchMeta && typeof spec === "object" && spec !== null && !Array.isArray(spec)
          ? { ...spec, type: type.name, name, ...(type.scope === "mesh" ? { mesh } : {}) }
          : spec;
      const path = type.scope === "global" ? `/meshes/${name}` : `/meshes/${mesh}/${type.path}/${name}`;
      return { path, body: JSON.stringify(body) ?? "" };
    });
}

type Mutation = (text: string) => string;

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((at): Mutation => (text) => text.slice(0, at % (text.length + 1))),
  fc.tuple(fc.nat(), fc.string({ maxLength: 6, unit: "binary" })).map(
    ([at, insert]): Mutation => (text) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + insert + text.slice(i);
    },
  ),
  fc.tuple(fc.nat(), fc.nat({ max: 8 })).map(
    ([at, length]): Mutation => (text) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + text.slice(i + length);
    },
  ),
  fc.tuple(fc.nat(), fc.constantFrom("{", "}", "[", "]", '"', ",", ":", "\\", "null", "-", "1e999", "\u0000", "\ud800")).map(
    ([at, token]): Mutation => (text) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + token + text.slice(i + 1);
    },
  ),
);

/** The request with its body text through a few mutations. */
const mutated = (request: fc.Arbitrary<FuzzRequest>): fc.Arbitrary<FuzzRequest> =>
  fc
    .tuple(request, fc.array(mutation, { minLength: 1, maxLength: 3 }))
    .map(([request, mutations]) => ({ ...request, body: mutations.reduce((text, mutate) => mutate(text), request.body) }));

/** The reference examples, moved to mesh `default` under a fuzz name: mostly valid resources. */
const exampleRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(fc.constantFrom(...loadExamples().values()), fc.constantFrom("fuzz-1", "fuzz-2"))
  .map(([example, name]) => {
    const type = resourceTypeByName(example.body.type)!;
    const body = { ...example.body, name, ...(type.scope === "mesh" ? { mesh: "default" } : {}) };
    const path = type.scope === "global" ? `/meshes/${name}` : `/meshes/default/${type.path}/${name}`;
    return { path, body: JSON.stringify(body) };
  });

/** Bodies that have nothing to do with any schema. */
const garbageRequest: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.constantFrom(...resourceTypes),
    fc.oneof(
      fc.string({ unit: "binary", maxLength: 64 }),
      fc.jsonValue().map((value) => JSON.stringify(value) ?? ""),
      fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
    ),
  )
  .map(([type, body]) => ({
    path: type.scope === "global" ? "/meshes/fuzz-1" : `/meshes/default/${type.path}/fuzz-1`,
    body,
  }));

/** The requests of the fuzz test: shaped, mutated and garbage bodies across every resource type. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...resourceTypes).chain(resourceRequest) },
  { weight: 3, arbitrary: mutated(fc.constantFrom(...resourceTypes).chain(resourceRequest)) },
  { weight: 1, arbitrary: exampleRequest },
  { weight: 1, arbitrary: mutated(exampleRequest) },
  { weight: 1, arbitrary: garbageRequest },
);
