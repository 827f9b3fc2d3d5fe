/**
 * A write-heavy load spread over replicas, recording every request: when
 * it was sent, how it ended, and for writes what was acknowledged — so that
 * a test can check afterwards that nothing acknowledged was lost and
 * nothing failed was half-applied.
 */
import { apiClient, etag, outcomeOf, type ApiClient } from "./http.js";
import type { KumaCp } from "./kuma-cp.js";
import { COLLECTION, meshBody, trafficTraceBody } from "./resources.js";

/** One request of the load. */
export interface LoadRecord {
  readonly replica: string;
  readonly kind: "create" | "update" | "read" | "mesh";
  /** `mesh/name` of a TrafficTrace, or the mesh name. */
  readonly target: string;
  /** The marker the write carried. */
  readonly marker?: string;
  /** performance.now() when sent and when the outcome was known. */
  readonly sentAt: number;
  readonly endedAt: number;
  /** The status, or the transport error's code. */
  readonly outcome: string;
  /** The ETag (without quotes) of a 2xx write. */
  readonly version?: string;
  /** The body of an error response. */
  readonly body?: string;
}

/** A running load. */
export interface Load {
  readonly records: LoadRecord[];
  /** Stops after the requests in flight; resolves when every worker has finished. */
  stop(): Promise<void>;
}

/**
 * Starts `workersPerReplica` workers per replica, each writing its own
 * TrafficTraces in `mesh` (creates, then updates of its own names, reads
 * of them) and now and then creating a mesh of its own.
 */
export function startWriteLoad(
  replicas: readonly KumaCp[],
  mesh: string,
  options: { readonly workersPerReplica?: number } = {},
): Load {
  const records: LoadRecord[] = [];
  let running = true;
  const perReplica = options.workersPerReplica ?? 2;
  const workers = replicas.flatMap((replica, r) =>
    Array.from({ length: perReplica }, (_, w) =>
      work(apiClient(replica.apiUrl), replica.name, `w${r}x${w}`),
    ),
  );

  async function work(api: ApiClient, replica: string, id: string): Promise<void> {
    const acked: string[] = [];
    for (let n = 0; running; n++) {
      const step = n % 10;
      let record: Omit<LoadRecord, "sentAt" | "endedAt" | "outcome">;
      let send: () => ReturnType<ApiClient["get"]>;
      if (step === 9) {
        const name = `${id}-m${n}`;
        record = { replica, kind: "mesh", target: name };
        send = () => api.put(`/meshes/${name}`, meshBody(name));
      } else if (step % 3 === 2 && acked.length > 0) {
        const name = acked[n % acked.length] as string;
        record = { replica, kind: "read", target: `${mesh}/${name}` };
        send = () => api.get(`/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`);
      } else if (step % 3 === 1 && acked.length > 0) {
        const name = acked[(n * 7) % acked.length] as string;
        const marker = `${id}-u${n}`;
        record = { replica, kind: "update", target: `${mesh}/${name}`, marker };
        send = () =>
          api.put(
            `/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`,
            trafficTraceBody(mesh, name, marker),
          );
      } else {
        const name = `${id}-c${n}`;
        const marker = `${id}-c${n}`;
        record = { replica, kind: "create", target: `${mesh}/${name}`, marker };
        send = () =>
          api.put(
            `/meshes/${mesh}/${COLLECTION.TrafficTrace}/${name}`,
            trafficTraceBody(mesh, name, marker),
          );
      }
      const sentAt = performance.now();
      const result = await outcomeOf(send());
      const endedAt = performance.now();
      const response = result.response;
      const ok = response !== undefined && response.status < 300;
      records.push({
        ...record,
        sentAt,
        endedAt,
        outcome: result.outcome,
        ...(ok && record.kind !== "read" ? { version: etag(response) ?? "" } : {}),
        ...(response && !ok ? { body: response.body } : {}),
      });
      if (ok && record.kind === "create") acked.push(record.target.slice(mesh.length + 1));
    }
  }

  const done = Promise.all(workers);
  return {
    records,
    async stop() {
      running = false;
      await done;
    },
  };
}
