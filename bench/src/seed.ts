/**
 * Seeding the servers: through the API (PUT with concurrency; the only way
 * into a memory store), or for the Redis store straight through the store
 * package, after the same parsing, defaults and validation as a PUT.
 */
import {
  DataplaneInsightType,
  DataplaneType,
  parseResourceBody,
  type Resource,
  type ResourceType,
} from "@kuma-ts/model";
import { createRedisStore } from "@kuma-ts/store";
import { dataplane, dataplaneInsight, dataplanePath, INSIGHT_EVERY } from "./data.js";
import { expectStatus, forEachConcurrently } from "./http-client.js";
import { inspectionMesh, inspectionPolicies } from "./inspection-data.js";

/** What a seeding did. */
export interface Seeding {
  readonly mesh: string;
  readonly dataplanes: number;
  readonly insights: number;
  /** The JSON text of the dataplanes as sent (PUT bodies), in bytes. */
  readonly dataplaneJsonBytes: number;
  /** Policies of every type, when the seeding made them. */
  readonly policies?: number;
  readonly seconds: number;
  readonly via: "api" | "store";
  /** Which of our servers. */
  readonly server?: string;
}

const API_CONCURRENCY = 16;
const STORE_CONCURRENCY = 64;

/** Creates a mesh (or leaves it as it is). */
export async function createMesh(apiUrl: string, mesh: string): Promise<void> {
  await expectStatus("PUT", `${apiUrl}/meshes/${mesh}`, JSON.stringify({ type: "Mesh", name: mesh }), [200, 201]);
}

/** `count` dataplanes in `mesh` (created first), and an insight for one in INSIGHT_EVERY, all through the API. */
export async function seedViaApi(
  apiUrl: string,
  mesh: string,
  count: number,
  options: { insights?: boolean; first?: number } = {},
): Promise<Seeding> {
  const started = performance.now();
  await createMesh(apiUrl, mesh);
  const first = options.first ?? 0;
  let bytes = 0;
  await forEachConcurrently(count, API_CONCURRENCY, async (k) => {
    const i = first + k;
    const body = JSON.stringify(dataplane(mesh, i));
    bytes += Buffer.byteLength(body);
    await expectStatus("PUT", apiUrl + dataplanePath(mesh, i), body, [200, 201]);
  });
  const insights = options.insights === false ? 0 : await seedInsightsViaApi(apiUrl, mesh, first, count);
  return {
    mesh,
    dataplanes: count,
    insights,
    dataplaneJsonBytes: bytes,
    seconds: (performance.now() - started) / 1000,
    via: "api",
  };
}

/** An insight for one dataplane in INSIGHT_EVERY of [first, first + count), through the API. */
export async function seedInsightsViaApi(apiUrl: string, mesh: string, first: number, count: number): Promise<number> {
  const indexes = insightIndexes(first, count);
  await forEachConcurrently(indexes.length, API_CONCURRENCY, async (k) => {
    const i = indexes[k] as number;
    const body = JSON.stringify(dataplaneInsight(mesh, i));
    await expectStatus("PUT", `${apiUrl}/meshes/${mesh}/dataplane-insights/${dataplane(mesh, i).name}`, body, [200, 201]);
  });
  return indexes.length;
}

const insightIndexes = (first: number, count: number): number[] =>
  Array.from({ length: count }, (_, k) => first + k).filter((i) => i % INSIGHT_EVERY === 0);

/**
 * The same resources written straight into a Redis store (the mesh is
 * created through the API first): each body is parsed, defaulted and
 * validated as the PUT handler does, then created by the store package.
 */
export async function seedViaStore(
  apiUrl: string,
  redis: { url: string; keyPrefix: string },
  mesh: string,
  count: number,
): Promise<Seeding> {
  const started = performance.now();
  await createMesh(apiUrl, mesh);
  const store = createRedisStore({ url: redis.url, keyPrefix: redis.keyPrefix, commandTimeoutMs: 30_000 });
  let bytes = 0;
  const create = async (type: ResourceType, value: Record<string, unknown>): Promise<void> => {
    const text = JSON.stringify(value);
    if (type === (DataplaneType as unknown as ResourceType)) bytes += Buffer.byteLength(text);
    const resource = type.applyDefaults(parseResourceBody(type, text) as never) as Resource;
    const violations = type.validate(resource as never);
    if (violations.length > 0) throw new Error(`invalid ${value.name}: ${JSON.stringify(violations)}`);
    await store.create(resource);
  };
  try {
    await forEachConcurrently(count, STORE_CONCURRENCY, (i) =>
      create(DataplaneType as unknown as ResourceType, dataplane(mesh, i)),
    );
    const indexes = insightIndexes(0, count);
    await forEachConcurrently(indexes.length, STORE_CONCURRENCY, (k) =>
      create(DataplaneInsightType as unknown as ResourceType, dataplaneInsight(mesh, indexes[k] as number)),
    );
    return {
      mesh,
      dataplanes: count,
      insights: indexes.length,
      dataplaneJsonBytes: bytes,
      seconds: (performance.now() - started) / 1000,
      via: "store",
    };
  } finally {
    await store.close();
  }
}

/**
 * The inspection mesh through the API: `dataplanes` dataplanes, the mesh's
 * logging and tracing backends, then `policies` policies of every type.
 */
export async function seedInspectionViaApi(
  apiUrl: string,
  mesh: string,
  sizes: { dataplanes: number; policies: number },
): Promise<Seeding> {
  const started = performance.now();
  const seeding = await seedViaApi(apiUrl, mesh, sizes.dataplanes, { insights: false });
  await expectStatus("PUT", `${apiUrl}/meshes/${mesh}`, JSON.stringify(inspectionMesh(mesh)), [200]);
  const policies = inspectionPolicies(mesh, sizes.policies);
  await forEachConcurrently(policies.length, API_CONCURRENCY, async (i) => {
    const { path, body } = policies[i]!;
    await expectStatus("PUT", apiUrl + path, JSON.stringify(body), [201]);
  });
  return { ...seeding, seconds: (performance.now() - started) / 1000, policies: policies.length };
}
