/**
 * Several `kuma-cp` processes on one Redis (standalone, then a 3-master
 * cluster) behave as one control plane: any replica answers any request
 * with the same answer, and concurrent HTTP traffic spread over the
 * replicas neither loses updates nor leaves half-written or orphaned keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msSince, reportFigures, Tally } from "./support/figures.js";
import {
  apiClient,
  etag,
  json,
  outcomeOf,
  type ApiClient,
  type HttpResponse,
} from "./support/http.js";
import { scanKeyspace, type KeyspaceScan } from "./support/keyspace.js";
import { startReplicas, stopAll, type KumaCp } from "./support/kuma-cp.js";
import {
  startRedisBackend,
  uniquePrefix,
  type BackendKind,
  type RedisBackend,
} from "./support/redis-backends.js";
import {
  COLLECTION,
  markerOf,
  meshBody,
  trafficPermissionBody,
  trafficRouteBody,
  trafficTraceBody,
  weightOf,
} from "./support/resources.js";

const REPLICAS = 3;

describe.each<BackendKind>(["standalone", "cluster"])(
  "%s Redis shared by three kuma-cp replicas",
  (kind) => {
    let backend: RedisBackend;
    let prefix: string;
    let replicas: KumaCp[] = [];
    let apis: ApiClient[] = [];
    const scan = (keyPrefix = prefix): Promise<KeyspaceScan> =>
      scanKeyspace(backend.nodes, keyPrefix, { cluster: kind === "cluster" });
    /** A fresh connection pool to replica `i` (one per simulated client). */
    const clientOf = (i: number): ApiClient => apiClient((replicas[i % REPLICAS] as KumaCp).apiUrl);

    beforeAll(async () => {
      backend = await startRedisBackend(kind);
      prefix = uniquePrefix("agree");
      replicas = await startReplicas(REPLICAS, backend.env(prefix), kind);
      apis = replicas.map((replica) => apiClient(replica.apiUrl));
    }, 120_000);

    afterAll(async () => {
      const statuses = await stopAll(replicas);
      await backend?.stop();
      expect(statuses.every((status) => status.code === 0)).toBe(true);
    }, 60_000);

    it("reads a write made on one replica back from every other replica immediately after its 2xx", async () => {
      const writers = 6;
      const writesPerWriter = 40;
      let writes = 0;
      let reads = 0;
      const stale: string[] = [];
      await Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          const writer = clientOf(w);
          const readers = [clientOf(w + 1), clientOf(w + 2)];
          const mesh = `raw-${w}`;
          const created = await writer.put(`/meshes/${mesh}`, meshBody(mesh));
          expect(created.status).toBe(201);
          for (const reader of readers) {
            reads++;
            const seen = await reader.get(`/meshes/${mesh}`);
            if (seen.status !== 200 || etag(seen) !== etag(created))
              stale.push(`mesh ${mesh}: ${seen.status}`);
          }
          for (let i = 0; i < writesPerWriter; i++) {
            const name = `trace-${i % 5}`;
            const path = `/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`;
            if (i % 8 === 7) {
              const deleted = await writer.delete(path);
              writes++;
              expect(deleted.status, deleted.body).toBe(200);
              for (const reader of readers) {
                reads++;
                const seen = await reader.get(path);
                if (seen.status !== 404) stale.push(`${path} after DELETE: ${seen.status}`);
              }
              continue;
            }
            const marker = `w${w}-${i}`;
            const written = await writer.put(path, trafficTraceBody(mesh, name, marker));
            writes++;
            expect([200, 201], written.body).toContain(written.status);
            for (const reader of readers) {
              reads++;
              const seen = await reader.get(path);
              if (
                seen.status !== 200 ||
                etag(seen) !== etag(written) ||
                markerOf(json(seen)) !== marker
              ) {
                stale.push(
                  `${path}: wrote ${marker} (${etag(written)}), read ${seen.status} ${etag(seen)} ${seen.body}`,
                );
              }
            }
            // A list on a third replica sees it too.
            reads++;
            const list = json<{ items: unknown[] }>(
              await (readers[1] as ApiClient).get(`/meshes/${mesh}/${COLLECTION.TrafficTrace}`),
            );
            const listed = list.items.find((item) => (item as { name: string }).name === name);
            if (markerOf(listed) !== marker)
              stale.push(`${path}: list shows ${JSON.stringify(listed)}`);
          }
        }),
      );
      reportFigures(`read-after-write (${kind})`, {
        replicas: REPLICAS,
        writers,
        "writes acknowledged": writes,
        "cross-replica reads": reads,
        "stale reads": stale.length,
      });
      expect(stale).toEqual([]);
    }, 120_000);

    it("never loses an update of If-Match read-modify-write loops spread over the replicas", async () => {
      const mesh = "if-match";
      const path = `/meshes/${mesh}/${COLLECTION.TrafficRoute}/counter`;
      expect((await apis[0]!.put(`/meshes/${mesh}`, meshBody(mesh))).status).toBe(201);
      expect((await apis[1]!.put(path, trafficRouteBody(mesh, "counter", 0))).status).toBe(201);
      const workers = 6;
      const incrementsPerWorker = 20;
      const outcomes = new Tally();
      let conflicts = 0;
      const committed: { weight: number; version: string }[] = [];
      const started = performance.now();
      await Promise.all(
        Array.from({ length: workers }, async (_, w) => {
          // Each worker reads on one replica and writes on another, as behind a load balancer.
          const reader = clientOf(w + 1);
          const writer = clientOf(w);
          for (let done = 0; done < incrementsPerWorker;) {
            const current = await reader.get(path);
            outcomes.add(String(current.status));
            expect(current.status).toBe(200);
            const weight = weightOf(json(current)) + 1;
            const put = await writer.put(path, trafficRouteBody(mesh, "counter", weight), {
              "If-Match": current.headers.etag ?? "",
            });
            outcomes.add(String(put.status));
            if (put.status === 412) {
              conflicts++;
              continue;
            }
            expect(put.status, put.body).toBe(200);
            committed.push({ weight, version: etag(put) ?? "" });
            done++;
          }
        }),
      );
      const expected = workers * incrementsPerWorker;
      const finals = await Promise.all(apis.map((api) => api.get(path)));
      const finalWeights = finals.map((response) => weightOf(json(response)));
      const weights = committed.map((c) => c.weight).sort((a, b) => a - b);
      const lost = expected - Math.min(...finalWeights);
      reportFigures(`if-match (${kind})`, {
        replicas: REPLICAS,
        writers: workers,
        "updates committed": committed.length,
        requests: outcomes.total(),
        "conflicts retried (412)": conflicts,
        lost,
        ms: msSince(started),
      });
      expect(outcomes.except(["200", "412"])).toEqual({});
      // Every committed increment produced a distinct value 1..N under a distinct version.
      expect(weights).toEqual(Array.from({ length: expected }, (_, i) => i + 1));
      expect(new Set(committed.map((c) => c.version)).size).toBe(expected);
      expect(finalWeights).toEqual(apis.map(() => expected));
      expect(new Set(finals.map((response) => etag(response))).size).toBe(1);
    }, 120_000);

    it("answers concurrent creates of one name on every replica with exactly one 201 and 200s", async () => {
      const mesh = "creates";
      expect((await apis[2]!.put(`/meshes/${mesh}`, meshBody(mesh))).status).toBe(201);
      const rounds = 12;
      const perReplica = 3;
      const clients = Array.from({ length: REPLICAS * perReplica }, (_, i) => clientOf(i));
      // Warm every connection so that the creates leave at the same moment.
      await Promise.all(clients.map((client) => client.get("/")));
      const plain = new Tally();
      const createOnly = new Tally();
      const meshes = new Tally();
      const badRounds: string[] = [];
      const race = async (
        tally: Tally,
        label: string,
        send: (client: ApiClient) => Promise<HttpResponse>,
      ) => {
        const results = await Promise.all(clients.map((client) => outcomeOf(send(client))));
        const statuses = results.map((r) => r.outcome);
        statuses.forEach((status) => tally.add(status));
        return { label, statuses };
      };
      for (let round = 0; round < rounds; round++) {
        const checks = [
          await race(plain, `route r-${round}`, (client) =>
            client.put(
              `/meshes/${mesh}/${COLLECTION.TrafficRoute}/r-${round}`,
              trafficRouteBody(mesh, `r-${round}`, round),
            ),
          ),
          await race(meshes, `mesh m-${round}`, (client) =>
            client.put(`/meshes/created-${kind}-${round}`, meshBody(`created-${kind}-${round}`)),
          ),
        ];
        for (const { label, statuses } of checks) {
          const created = statuses.filter((s) => s === "201").length;
          const updated = statuses.filter((s) => s === "200").length;
          if (created !== 1 || updated !== clients.length - 1)
            badRounds.push(`${label}: ${statuses.join(" ")}`);
        }
        const only = await race(createOnly, `create-only p-${round}`, (client) =>
          client.put(
            `/meshes/${mesh}/${COLLECTION.TrafficPermission}/p-${round}`,
            trafficPermissionBody(mesh, `p-${round}`),
            {
              "If-None-Match": "*",
            },
          ),
        );
        const onlyCreated = only.statuses.filter((s) => s === "201").length;
        const refused = only.statuses.filter((s) => s === "412").length;
        if (onlyCreated !== 1 || refused !== clients.length - 1)
          badRounds.push(`${only.label}: ${only.statuses.join(" ")}`);
      }
      reportFigures(`concurrent creates (${kind})`, {
        replicas: REPLICAS,
        rounds,
        "racers per round": clients.length,
        "resource PUTs": `${plain.total()} (${plain})`,
        "mesh PUTs": `${meshes.total()} (${meshes})`,
        "If-None-Match PUTs": `${createOnly.total()} (${createOnly})`,
        "bad rounds": badRounds.length,
      });
      expect(badRounds).toEqual([]);
      const listed = json<{ total: number }>(
        await apis[1]!.get(`/meshes/${mesh}/${COLLECTION.TrafficRoute}`),
      );
      expect(listed.total).toBe(rounds);
    }, 120_000);

    it("leaves no orphan when a mesh DELETE races creates in that mesh", async () => {
      const rounds = 8;
      const createsPerRound = 45;
      const types = [
        {
          collection: COLLECTION.TrafficRoute,
          body: (m: string, n: string) => trafficRouteBody(m, n, 1),
        },
        {
          collection: COLLECTION.TrafficTrace,
          body: (m: string, n: string) => trafficTraceBody(m, n, "x"),
        },
        {
          collection: COLLECTION.TrafficPermission,
          body: (m: string, n: string) => trafficPermissionBody(m, n),
        },
      ];
      const creates = new Tally();
      const problems: string[] = [];
      let createdBeforeDelete = 0;
      for (let round = 0; round < rounds; round++) {
        const mesh = `doomed-${round}`;
        expect((await apis[round % REPLICAS]!.put(`/meshes/${mesh}`, meshBody(mesh))).status).toBe(
          201,
        );
        let deleteAnsweredAt = Number.POSITIVE_INFINITY;
        const deletion = (async () => {
          // Let part of the creates through first.
          await new Promise((resolve) => setTimeout(resolve, 5 + (round % 4) * 5));
          const response = await clientOf(round + 1).delete(`/meshes/${mesh}`);
          deleteAnsweredAt = performance.now();
          if (response.status !== 200)
            problems.push(`DELETE /meshes/${mesh}: ${response.status} ${response.body}`);
        })();
        const creators = Array.from({ length: 9 }, async (_, c) => {
          const client = clientOf(c);
          for (let i = c; i < createsPerRound; i += 9) {
            const type = types[i % types.length]!;
            const name = `r-${i}`;
            const sentAt = performance.now();
            const response = await client.put(
              `/meshes/${mesh}/${type.collection}/${name}`,
              type.body(mesh, name),
            );
            creates.add(String(response.status));
            if (response.status === 201) {
              createdBeforeDelete++;
              if (sentAt > deleteAnsweredAt)
                problems.push(`${mesh}/${name} created after the mesh DELETE answered`);
            } else if (response.status !== 400 || !response.body.includes("Mesh is not found")) {
              problems.push(`${mesh}/${name}: ${response.status} ${response.body}`);
            }
          }
        });
        await Promise.all([deletion, ...creators]);
        for (const api of apis) {
          if ((await api.get(`/meshes/${mesh}`)).status !== 404)
            problems.push(`${mesh} still readable on ${api.baseUrl}`);
          for (const { collection } of types) {
            const list = json<{ total: number }>(await api.get(`/meshes/${mesh}/${collection}`));
            if (list.total !== 0)
              problems.push(`${mesh}/${collection} lists ${list.total} items on ${api.baseUrl}`);
          }
        }
      }
      const keyspace = await scan();
      const orphans = [...keyspace.resources.keys()].filter((id) => id.startsWith("doomed-"));
      const meshesLeft = [...keyspace.meshes.keys()].filter((name) => name.startsWith("doomed-"));
      reportFigures(`mesh delete vs creates (${kind})`, {
        replicas: REPLICAS,
        rounds,
        "creates sent": creates.total(),
        "201 before the delete": createdBeforeDelete,
        "400 mesh not found": creates.get("400"),
        "orphan keys": orphans.length + meshesLeft.length,
        "index leftovers": keyspace.indexLeftovers.length,
        "other problems": problems.length,
      });
      expect(problems).toEqual([]);
      expect(orphans).toEqual([]);
      expect(meshesLeft).toEqual([]);
      expect(keyspace.violations).toEqual([]);
    }, 120_000);

    it("ends with exactly one default mesh when several replicas start together", async () => {
      const rounds = 2;
      const starters = 3;
      const versions: string[] = [];
      for (let round = 0; round < rounds; round++) {
        const keyPrefix = uniquePrefix("start");
        const started = performance.now();
        const fresh = await startReplicas(
          starters,
          backend.env(keyPrefix),
          `${kind}-start-${round}`,
        );
        const startMs = msSince(started);
        try {
          for (const replica of fresh) {
            const ready = await fetch(`${replica.diagnosticsUrl}/ready`);
            expect(ready.status).toBe(200);
            const list = json<{ items: { name: string }[] }>(
              await apiClient(replica.apiUrl).get("/meshes"),
            );
            expect(list.items.map((item) => item.name)).toEqual(["default"]);
          }
          const heads = await Promise.all(
            fresh.map((replica) => apiClient(replica.apiUrl).get("/meshes/default")),
          );
          expect(new Set(heads.map((head) => etag(head))).size).toBe(1);
          versions.push(etag(heads[0]!) ?? "");
          const keyspace = await scan(keyPrefix);
          expect(keyspace.violations).toEqual([]);
          expect([...keyspace.meshes.keys()]).toEqual(["default"]);
          expect(keyspace.index).toEqual(["default"]);
          reportFigures(`default mesh at start-up (${kind}, round ${round + 1})`, {
            "replicas started together": starters,
            "ms to start all": startMs,
            "default meshes": keyspace.meshes.size,
            "index entries": keyspace.index.length,
            errors: fresh.filter((replica) => /"level":50/.test(replica.output())).length,
          });
          expect(fresh.filter((replica) => /"level":(50|60)/.test(replica.output()))).toEqual([]);
        } finally {
          const statuses = await stopAll(fresh);
          expect(statuses.every((status) => status.code === 0)).toBe(true);
        }
      }
      expect(versions).toHaveLength(rounds);
    }, 120_000);

    it("leaves a keyspace in which every invariant holds", async () => {
      const keyspace = await scan();
      reportFigures(`keyspace scan (${kind})`, {
        keys: keyspace.keys,
        meshes: keyspace.meshes.size,
        resources: keyspace.resources.size,
        "index leftovers": keyspace.indexLeftovers.length,
        violations: keyspace.violations.length,
      });
      expect(keyspace.violations).toEqual([]);
      expect(keyspace.indexLeftovers).toEqual([]);
      // What the API lists is exactly what the keyspace holds.
      const listed = json<{ items: { name: string }[] }>(await apis[0]!.get("/meshes"));
      expect(listed.items.map((item) => item.name)).toEqual([...keyspace.meshes.keys()].sort());
    }, 60_000);
  },
);
