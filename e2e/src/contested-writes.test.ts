/**
 * Many writers of one resource through three `kuma-cp` replicas on one
 * Redis (standalone, then a 3-master cluster): a PUT without preconditions
 * is "make it so" (http-api.md §6), so other writers never make it fail.
 * Of N concurrent creates of a new name exactly one answers 201 and the
 * others 200; updaters hammering one resource only ever see 200; the last
 * write wins whole on every replica.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { msSince, reportFigures, Tally } from "./support/figures.js";
import { apiClient, etag, json, outcomeOf, type ApiClient } from "./support/http.js";
import { startReplicas, stopAll, type KumaCp } from "./support/kuma-cp.js";
import {
  startRedisBackend,
  uniquePrefix,
  type BackendKind,
  type RedisBackend,
} from "./support/redis-backends.js";
import { COLLECTION, meshBody, trafficRouteBody, weightOf } from "./support/resources.js";

const REPLICAS = 3;
const UPDATERS = 32;
const UPDATE_SECONDS = 5;

describe.each<BackendKind>(["standalone", "cluster"])(
  "contested writes through three replicas on %s Redis",
  (kind) => {
    let backend: RedisBackend;
    let replicas: KumaCp[] = [];
    /** A client of its own (its own connections) to replica `i` modulo the replicas. */
    const clientOf = (i: number): ApiClient => apiClient((replicas[i % REPLICAS] as KumaCp).apiUrl);

    /** The resource as every replica reads it (they must agree): its version and weight. */
    const agreedState = async (path: string) => {
      const reads = await Promise.all(
        replicas.map((replica) => apiClient(replica.apiUrl).get(path)),
      );
      for (const read of reads) expect(read.status, read.body).toBe(200);
      expect(new Set(reads.map((read) => etag(read))).size).toBe(1);
      return { version: etag(reads[0]!), weight: weightOf(json(reads[0]!)) };
    };

    beforeAll(async () => {
      backend = await startRedisBackend(kind);
      replicas = await startReplicas(REPLICAS, backend.env(uniquePrefix("contested")), kind);
      expect((await clientOf(0).put("/meshes/contested", meshBody("contested"))).status).toBe(201);
    }, 120_000);

    afterAll(async () => {
      const statuses = await stopAll(replicas);
      await backend?.stop();
      expect(statuses.every((status) => status.code === 0)).toBe(true);
    }, 60_000);

    it.each([
      { racers: 30, rounds: 5 },
      { racers: 100, rounds: 3 },
    ])(
      "answers $racers concurrent creates of one new name with exactly one 201 and 200s",
      async ({ racers, rounds }) => {
        const clients = Array.from({ length: racers }, (_, i) => clientOf(i));
        // Open every connection first, so that the creates leave at the same moment.
        await Promise.all(clients.map((client) => client.get("/")));
        const outcomes = new Tally();
        const badRounds: string[] = [];
        for (let round = 0; round < rounds; round++) {
          const name = `new-${racers}-${round}`;
          const path = `/meshes/contested/${COLLECTION.TrafficRoute}/${name}`;
          const answers = await Promise.all(
            clients.map((client, i) =>
              outcomeOf(client.put(path, trafficRouteBody("contested", name, i + 1))),
            ),
          );
          answers.forEach((answer) => outcomes.add(answer.outcome));
          const statuses = answers.map((answer) => answer.outcome);
          if (
            statuses.filter((s) => s === "201").length !== 1 ||
            statuses.some((s) => s !== "200" && s !== "201")
          )
            badRounds.push(`${name}: ${statuses.join(" ")}`);
          // The last write wins whole: what every replica reads is one of the writes, as written.
          const state = await agreedState(path);
          const winner = answers.findIndex(
            (answer) => answer.response && etag(answer.response) === state.version,
          );
          expect(winner, `${name}: the stored version is no write's`).toBeGreaterThanOrEqual(0);
          expect(state.weight).toBe(winner + 1);
        }
        reportFigures(`${racers} concurrent creates (${kind})`, {
          replicas: REPLICAS,
          rounds,
          "racers per round": racers,
          answers: `${outcomes.total()} (${outcomes})`,
          "bad rounds": badRounds.length,
        });
        expect(badRounds).toEqual([]);
        expect(outcomes.except(["200", "201"])).toEqual({});
        expect(outcomes.get("201")).toBe(rounds);
      },
      120_000,
    );

    it(`answers ${UPDATERS} updaters of one resource for ${UPDATE_SECONDS} s with 200s only`, async () => {
      const name = "hammered";
      const path = `/meshes/contested/${COLLECTION.TrafficRoute}/${name}`;
      expect((await clientOf(0).put(path, trafficRouteBody("contested", name, 1))).status).toBe(
        201,
      );
      const outcomes = new Tally();
      const written = new Map<string, number>();
      const started = performance.now();
      const deadline = started + UPDATE_SECONDS * 1000;
      await Promise.all(
        Array.from({ length: UPDATERS }, async (_, w) => {
          const client = clientOf(w);
          for (let n = 0; performance.now() < deadline; n++) {
            const weight = (w + 1) * 1_000_000 + n;
            const answer = await outcomeOf(
              client.put(path, trafficRouteBody("contested", name, weight)),
            );
            outcomes.add(answer.outcome);
            if (answer.response?.status === 200) written.set(etag(answer.response) ?? "", weight);
          }
        }),
      );
      const ms = msSince(started);
      const state = await agreedState(path);
      reportFigures(`${UPDATERS} updaters of one resource (${kind})`, {
        replicas: REPLICAS,
        ms,
        PUTs: outcomes.total(),
        "PUTs/s": (outcomes.total() * 1000) / ms,
        outcomes: outcomes.toString(),
      });
      expect(outcomes.except(["200"])).toEqual({});
      expect(outcomes.total()).toBeGreaterThan(UPDATERS);
      // Every acknowledged write got a version of its own, and the stored one is one of them, whole.
      expect(written.size).toBe(outcomes.get("200"));
      expect(written.get(state.version ?? "")).toBe(state.weight);
    }, 120_000);
  },
);
