/**
 * Random meshes for the invariants of inspection.md §4: a few dataplanes
 * and policies over a small vocabulary of tags, so that selectors often
 * match, ties happen and wildcards compete with exact values.
 */
import fc from "fast-check";
import type { Dataplane, Inbound, Outbound } from "../../resources/dataplane.js";
import type { Mesh } from "../../resources/mesh.js";
import type { Selector } from "../../resources/selector.js";
import type { Policy } from "../policies.js";

const SERVICES = ["a", "b", "c"];
const VERSIONS = ["v1", "v2"];

const exactOrAny = (values: string[]) => fc.constantFrom(...values, "*");

/** A selector of zero to two tags, values exact or `*`. */
const selectorArbitrary: fc.Arbitrary<Selector> = fc
  .record({ service: exactOrAny(SERVICES), version: exactOrAny(VERSIONS) }, { requiredKeys: [] })
  .map((match) => ({ match }));

/** A destination selector as validation allows it: exactly `{service: S}` or `{service: *}`, now and then something else. */
const destinationArbitrary: fc.Arbitrary<Selector> = fc.oneof(
  { weight: 4, arbitrary: exactOrAny(SERVICES).map((service) => ({ match: { service } })) },
  { weight: 1, arbitrary: selectorArbitrary },
);

const selectors = (of: fc.Arbitrary<Selector>, minLength = 1) =>
  fc.array(of, { minLength, maxLength: 2 });

const inboundTags = fc.record(
  { service: fc.constantFrom(...SERVICES), version: fc.constantFrom(...VERSIONS) },
  { requiredKeys: ["service"] },
);

const dataplaneArbitrary = (mesh: string, name: string): fc.Arbitrary<Dataplane> =>
  fc
    .record({
      gateway: fc.boolean(),
      tags: fc.array(inboundTags, { minLength: 1, maxLength: 3 }),
      outbound: fc.array(fc.constantFrom(...SERVICES), { maxLength: 3 }),
    })
    .map(({ gateway, tags, outbound }) => {
      const inbound: Inbound[] = tags.map((t, i) => ({ port: 8000 + i, tags: t }));
      const outbounds: Outbound[] = outbound.map((service, i) => ({ port: 10000 + i, service }));
      return {
        type: "Dataplane",
        mesh,
        name,
        networking: {
          address: "10.0.0.1",
          ...(gateway ? { gateway: { tags: tags[0]! } } : { inbound }),
          ...(outbounds.length > 0 ? { outbound: outbounds } : {}),
        },
      };
    });

const backendArbitrary = fc.constantFrom(undefined, "one", "missing");

/** One policy of a random type in `mesh`. */
const policyArbitrary = (mesh: string, name: string): fc.Arbitrary<Policy> => {
  const meta = {
    mesh,
    name,
    creationTime: "2026-01-01T00:00:00Z",
    modificationTime: "2026-01-01T00:00:00Z",
  };
  const conf = (backend: string | undefined) => (backend ? { conf: { backend } } : {});
  return fc.oneof(
    fc
      .record({
        sources: selectors(selectorArbitrary, 0),
        destinations: selectors(selectorArbitrary),
      })
      .map((spec): Policy => ({ type: "TrafficPermission", ...meta, ...spec })),
    fc
      .record({
        sources: selectors(selectorArbitrary),
        destinations: selectors(destinationArbitrary),
        conf: fc.array(
          fc.record({
            weight: fc.constantFrom(0, 50, 100),
            destination: fc.constantFrom(...SERVICES).map((service) => ({ service })),
          }),
          { minLength: 1, maxLength: 2 },
        ),
      })
      .map((spec): Policy => ({ type: "TrafficRoute", ...meta, ...spec })),
    fc
      .record({
        sources: selectors(selectorArbitrary),
        destinations: selectors(destinationArbitrary),
        backend: backendArbitrary,
      })
      .map(({ backend, ...spec }): Policy => ({
        type: "TrafficLog",
        ...meta,
        ...spec,
        ...conf(backend),
      })),
    fc
      .record({
        sources: selectors(selectorArbitrary),
        destinations: selectors(destinationArbitrary),
      })
      .map((spec): Policy => ({
        type: "HealthCheck",
        ...meta,
        ...spec,
        conf: { passiveChecks: { unhealthyThreshold: 3 } },
      })),
    fc
      .record({ selectors: selectors(selectorArbitrary), backend: backendArbitrary })
      .map(({ backend, ...spec }): Policy => ({
        type: "TrafficTrace",
        ...meta,
        ...spec,
        ...conf(backend),
      })),
    fc
      .record({ selectors: selectors(selectorArbitrary, 0) })
      .map((spec): Policy => ({
        type: "ProxyTemplate",
        ...meta,
        ...spec,
        conf: { imports: ["default-proxy"] },
      })),
  );
};

/** A mesh `m` with dataplanes and policies, plus policies of the same names in mesh `other`. */
export interface RandomMesh {
  readonly mesh: Mesh;
  readonly dataplanes: readonly Dataplane[];
  /** Policies of mesh `m`. */
  readonly policies: readonly Policy[];
  /** Policies of mesh `other` (never to be seen from `m`). */
  readonly foreign: readonly Policy[];
}

const names = (prefix: string, max: number) =>
  fc
    .uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: max })
    .map((ns) => ns.map((n) => `${prefix}-${n}`));

/** A random mesh of up to 5 dataplanes and 12 policies. */
export const randomMeshArbitrary: fc.Arbitrary<RandomMesh> = fc
  .record({
    mtls: fc.boolean(),
    dataplaneNames: names("dp", 5),
    policyNames: names("p", 9).chain((ps) => fc.tuple(fc.constant(ps), names("q", 3))),
  })
  .chain(({ mtls, dataplaneNames, policyNames: [ps, qs] }) =>
    fc.record({
      mesh: fc.constant<Mesh>({
        type: "Mesh",
        name: "m",
        mtls: { enabled: mtls },
        logging: { defaultBackend: "one", backends: [{ name: "one", file: { path: "/log" } }] },
        tracing: { backends: [{ name: "one", zipkin: { url: "http://zipkin:9411/" } }] },
      }),
      dataplanes: fc.tuple(...dataplaneNames.map((name) => dataplaneArbitrary("m", name))),
      policies: fc.tuple(...[...ps, ...qs].map((name) => policyArbitrary("m", name))),
      foreign: fc.tuple(...ps.slice(0, 3).map((name) => policyArbitrary("other", name))),
    }),
  );
