/** Polling the diagnostics endpoints of replicas, as a load balancer's health checks do. */
import { outcomeOf, httpRequest } from "./http.js";
import type { KumaCp } from "./kuma-cp.js";

/** One probe answer. */
export interface ProbeRecord {
  readonly replica: string;
  readonly path: "/ready" | "/healthy";
  readonly sentAt: number;
  readonly endedAt: number;
  readonly outcome: string;
}

/** Running probes. */
export interface Probes {
  readonly records: ProbeRecord[];
  /** Starts probing one more replica. */
  add(replica: KumaCp): void;
  stop(): Promise<void>;
}

/** Polls /ready and /healthy of every replica every `intervalMs` (each probe waits for its answer). */
export function startProbes(replicas: readonly KumaCp[], intervalMs = 100): Probes {
  const records: ProbeRecord[] = [];
  let running = true;
  const loop = async (replica: KumaCp, path: ProbeRecord["path"]): Promise<void> => {
    while (running) {
      const sentAt = performance.now();
      const result = await outcomeOf(
        httpRequest(`${replica.diagnosticsUrl}${path}`, { timeoutMs: 10_000 }),
      );
      records.push({
        replica: replica.name,
        path,
        sentAt,
        endedAt: performance.now(),
        outcome: result.outcome,
      });
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  };
  const loops: Promise<void>[] = [];
  const add = (replica: KumaCp): void => {
    loops.push(loop(replica, "/ready"), loop(replica, "/healthy"));
  };
  replicas.forEach(add);
  return {
    records,
    add,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}
