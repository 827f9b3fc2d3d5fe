/**
 * Prometheus metrics of one server (http-api.md §9), on a registry of its
 * own so that several servers in one process never clash.
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** What the API and the store report; read through `registry`. */
export interface ServerMetrics {
  readonly registry: Registry;
  /** Records one answered request. */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** Records one store operation. */
  observeStoreOperation(operation: string, outcome: "ok" | "error", seconds: number): void;
  /** Reports whether the store answers; called on every scrape. */
  setStoreProbe(probe: () => Promise<boolean>): void;
}

const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Observer {
  observe(value: number): void;
}

/** Creates the metrics of one server. */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  const requests = new Counter({
    name: "kuma_cp_http_requests_total",
    help: "HTTP API requests answered, by route template, method and status",
    labelNames: ["route", "method", "status"] as const,
    registers: [registry],
  });
  const requestDuration = new Histogram({
    name: "kuma_cp_http_request_duration_seconds",
    help: "Time to answer an HTTP API request, by route template, method and status",
    labelNames: ["route", "method", "status"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const storeDuration = new Histogram({
    name: "kuma_cp_store_operation_duration_seconds",
    help: "Time of store operations, by operation and outcome",
    labelNames: ["operation", "outcome"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  let probe: () => Promise<boolean> = async () => true;
  new Gauge({
    name: "kuma_cp_store_connected",
    help: "1 when the store answers, 0 when it is unreachable",
    registers: [registry],
    async collect() {
      this.set((await probe()) ? 1 : 0);
    },
  });

  // Label lookups hash their label set; keep the children of the hot path instead.
  const requestChildren = new Map<string, { count: { inc(): void }; duration: Observer }>();
  const storeChildren = new Map<string, Observer>();
  return {
    registry,
    observeRequest(route, method, status, seconds) {
      const key = `${route} ${method} ${status}`;
      let child = requestChildren.get(key);
      if (!child) {
        const labels = { route, method, status: String(status) };
        child = { count: requests.labels(labels), duration: requestDuration.labels(labels) };
        requestChildren.set(key, child);
      }
      child.count.inc();
      child.duration.observe(seconds);
    },
    observeStoreOperation(operation, outcome, seconds) {
      const key = `${operation} ${outcome}`;
      let child = storeChildren.get(key);
      if (!child) {
        child = storeDuration.labels({ operation, outcome });
        storeChildren.set(key, child);
      }
      child.observe(seconds);
    },
    setStoreProbe(next) {
      probe = next;
    },
  };
}
