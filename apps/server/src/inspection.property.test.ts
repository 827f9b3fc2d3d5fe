/**
 * Invariants I1 and I5 of inspection.md §4 through HTTP, on small random
 * meshes PUT through the API of a real server (memory store and Redis).
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { policyTypes } from "@kuma-ts/model";
import { startApi, type TestApi } from "./test-support/api.js";
import { putAll, type Body } from "./test-support/inspection-demo.js";
import { storeBackends } from "./test-support/store-backends.js";

const SERVICES = ["a", "b", "c"];
const onlyService = fc.constantFrom(...SERVICES, "*").map((service) => ({ match: { service } }));
const withService = fc
  .record(
    { service: fc.constantFrom(...SERVICES, "*"), version: fc.constantFrom("v1", "v2", "*") },
    { requiredKeys: ["service"] },
  )
  .map((match) => ({ match }));
const some = <T>(of: fc.Arbitrary<T>, minLength = 1) => fc.array(of, { minLength, maxLength: 2 });
const backend = fc
  .constantFrom(undefined, "file1", "missing")
  .map((name) => (name ? { conf: { backend: name } } : {}));

/** A valid policy body of a random type. */
const policyBody = (mesh: string, name: string): fc.Arbitrary<Body> =>
  fc.oneof(
    fc
      .record({ sources: some(onlyService), destinations: some(onlyService) })
      .map((spec) => ({ type: "TrafficPermission", mesh, name, ...spec })),
    fc
      .record({
        sources: some(withService),
        destinations: some(onlyService),
        conf: some(
          fc.record({
            weight: fc.constantFrom(0, 100),
            destination: fc.constantFrom(...SERVICES).map((service) => ({ service })),
          }),
        ),
      })
      .map((spec) => ({ type: "TrafficRoute", mesh, name, ...spec })),
    fc
      .record({ sources: some(withService), destinations: some(onlyService), conf: backend })
      .map(({ conf, ...spec }) => ({ type: "TrafficLog", mesh, name, ...spec, ...conf })),
    fc
      .record({ sources: some(withService), destinations: some(onlyService) })
      .map((spec) => ({
        type: "HealthCheck",
        mesh,
        name,
        ...spec,
        conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
      })),
    fc
      .record({ selectors: some(withService), conf: backend })
      .map(({ conf, ...spec }) => ({ type: "TrafficTrace", mesh, name, ...spec, ...conf })),
    fc
      .record({ selectors: some(withService, 0) })
      .map((spec) => ({
        type: "ProxyTemplate",
        mesh,
        name,
        ...spec,
        conf: { imports: ["default-proxy"] },
      })),
  );

const dataplaneBody = (mesh: string, name: string): fc.Arbitrary<Body> =>
  fc
    .record({
      gateway: fc.boolean(),
      services: fc.array(fc.constantFrom(...SERVICES), { minLength: 1, maxLength: 2 }),
      version: fc.constantFrom("v1", "v2"),
      outbound: fc.array(fc.constantFrom(...SERVICES), { maxLength: 2 }),
    })
    .map(({ gateway, services, version, outbound }) => ({
      type: "Dataplane",
      mesh,
      name,
      networking: {
        address: "10.0.0.1",
        ...(gateway
          ? { gateway: { tags: { service: services[0]! } } }
          : {
              inbound: services.map((service, i) => ({
                port: 8000 + i,
                tags: { service, version },
              })),
            }),
        ...(outbound.length > 0
          ? { outbound: outbound.map((service, i) => ({ port: 10000 + i, service })) }
          : {}),
      },
    }));

let meshes = 0;
/** A fresh mesh (a name of its own per run) with up to 4 dataplanes and 8 policies. */
const worldArbitrary = fc
  .record({
    mtls: fc.boolean(),
    dataplanes: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }),
    policies: fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { maxLength: 8 }),
  })
  .chain(({ mtls, dataplanes, policies }) => {
    const mesh = `random-${++meshes}`;
    return fc
      .tuple(
        fc.tuple(...dataplanes.map((n) => dataplaneBody(mesh, `dp-${n}`))),
        fc.tuple(...policies.map((n) => policyBody(mesh, `p-${n}`))),
      )
      .map(([dps, ps]) => ({
        mesh: {
          type: "Mesh",
          name: mesh,
          mtls: { enabled: mtls, ca: { builtin: {} } },
          logging: {
            defaultBackend: "file1",
            backends: [{ name: "file1", file: { path: "/var/log/a.log" } }],
          },
        } as Body,
        dataplanes: dps as Body[],
        policies: ps as Body[],
      }));
  });

type Item = {
  type: string;
  name?: string;
  service?: string;
  matchedPolicies: Record<string, { type: string; name: string }[]>;
};

describe.each(storeBackends())("inspection invariants over HTTP ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(async () => {
    await backend.start();
    api = await startApi(backend);
  });
  afterAll(async () => {
    await api.close();
    await backend.stop();
  });

  const collectionOf = (type: string) => policyTypes.find((t) => t.name === type)!.path;

  it("I1 and I5: both endpoints agree exactly, and inspecting changes nothing", async () => {
    await fc.assert(
      fc.asyncProperty(worldArbitrary, async (world) => {
        const mesh = world.mesh.name;
        // A shrunk run replays its mesh's name: start from nothing.
        await api.delete(`/meshes/${mesh}`);
        await putAll(api, [world.mesh, ...world.dataplanes, ...world.policies]);
        const everything = async () =>
          Promise.all(
            ["dataplanes", ...policyTypes.map((t) => t.path)].map(
              async (c) => (await api.get(`/meshes/${mesh}/${c}`)).text,
            ),
          );
        const before = await everything();

        const inspections = new Map<string, Item[]>();
        for (const dataplane of world.dataplanes) {
          const path = `/meshes/${mesh}/dataplanes/${dataplane.name}/policies?explain=true`;
          const first = await api.get(path);
          expect(first.status).toBe(200);
          // I5: twice gives identical results, times included.
          expect((await api.get(path)).text).toBe(first.text);
          inspections.set(dataplane.name, (first.json as { items: Item[] }).items);
        }
        for (const policy of world.policies) {
          const answer = await api.get(
            `/meshes/${mesh}/${collectionOf(policy.type)}/${policy.name}/dataplanes`,
          );
          expect(answer.status).toBe(200);
          const listed = new Map(
            (
              answer.json as { items: { dataplane: { name: string }; attachments: unknown[] }[] }
            ).items.map((i) => [i.dataplane.name, i.attachments]),
          );
          // I1: an attachment is listed for the policy iff the dataplane's inspection matched it there.
          for (const [dataplane, items] of inspections) {
            const expected = items
              .filter((item) =>
                (item.matchedPolicies[policy.type] ?? []).some((p) => p.name === policy.name),
              )
              .map((item) =>
                item.type === "dataplane"
                  ? { type: "dataplane" }
                  : { type: item.type, name: item.name, service: item.service },
              );
            expect(
              listed.get(dataplane) ?? [],
              `${policy.type} ${policy.name} at ${dataplane}`,
            ).toEqual(expected);
          }
        }
        expect(await everything()).toEqual(before);
      }),
      { numRuns: backend.name === "memory" ? 40 : 15 },
    );
  });
});
