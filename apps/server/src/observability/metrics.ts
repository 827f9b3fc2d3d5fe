/**
 * Prometheus metrics of one server (http-api.md §9), on a registry of its
 * own so that several servers in one process never clash.
 *
 * The per-request series are kept by a small histogram of our own and handed
 * to prom-client only when scraped: prom-client validates and hashes the
 * label set on every observation, which is too much for the request path.
 * prom-client itself is loaded on the first scrape, not at start-up.
 */
import type { Registry } from "prom-client";

/** What prom-client's registry reads of a metric when it is scraped. */
interface ScrapedMetric {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "histogram";
  readonly aggregator: "sum";
  readonly values: { metricName?: string; labels: Record<string, string | number>; value: number }[];
}

/** A metric the registry can hold: its description and how to read it. */
export interface CustomMetric {
  readonly name: string;
  readonly help: string;
  readonly type: ScrapedMetric["type"];
  get(): ScrapedMetric;
}

/** A scrape: the Prometheus text format and its content type. */
export interface MetricsExposition {
  readonly contentType: string;
  readonly text: string;
}

/** What the API and the store report; read through `scrape`. */
export interface ServerMetrics {
  /** Every metric of this server in the Prometheus text format. */
  scrape(): Promise<MetricsExposition>;
  /** Records one answered request. */
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  /** Records one store operation. */
  observeStoreOperation(operation: string, outcome: "ok" | "error", seconds: number): void;
  /** Reports whether the store answers; called on every scrape. */
  setStoreProbe(probe: () => Promise<boolean>): void;
}

/** Upper bounds of the latency buckets, in seconds. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Series {
  readonly labels: Record<string, string>;
  /** Non-cumulative counts per bucket; the last one is +Inf. */
  readonly buckets: Float64Array;
  sum: number;
  count: number;
}

/** A histogram keyed by a caller-built series key; exposes itself in prom-client's metric shape. */
class SeriesHistogram {
  private readonly series = new Map<string, Series>();

  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  /** The series of `key`, or undefined before its first observation. */
  find(key: string): Series | undefined {
    return this.series.get(key);
  }

  /** A new series of `key` with its labels (callers look it up first: no closure per observation). */
  add(key: string, labels: Record<string, string>): Series {
    const series = { labels, buckets: new Float64Array(LATENCY_BUCKETS.length + 1), sum: 0, count: 0 };
    this.series.set(key, series);
    return series;
  }

  static observe(series: Series, seconds: number): void {
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[i]!) i++;
    series.buckets[i]! += 1;
    series.sum += seconds;
    series.count += 1;
  }

  /** The histogram as prom-client writes it: cumulative `_bucket`s with `le`, `_sum`, `_count`. */
  histogramMetric(): CustomMetric {
    return {
      name: this.name,
      help: this.help,
      type: "histogram",
      get: () => ({
        name: this.name,
        help: this.help,
        type: "histogram",
        aggregator: "sum",
        values: [...this.series.values()].flatMap((series) => {
          let cumulative = 0;
          const buckets = [...LATENCY_BUCKETS, "+Inf"].map((le, i) => {
            cumulative += series.buckets[i]!;
            return { metricName: `${this.name}_bucket`, labels: { le, ...series.labels }, value: cumulative };
          });
          return [
            ...buckets,
            { metricName: `${this.name}_sum`, labels: series.labels, value: series.sum },
            { metricName: `${this.name}_count`, labels: series.labels, value: series.count },
          ];
        }),
      }),
    };
  }

  /** A counter of the observations per series. */
  counterMetric(name: string, help: string): CustomMetric {
    return {
      name,
      help,
      type: "counter",
      get: () => ({
        name,
        help,
        type: "counter",
        aggregator: "sum",
        values: [...this.series.values()].map((series) => ({ labels: series.labels, value: series.count })),
      }),
    };
  }
}

/** Creates the metrics of one server. */
export function createMetrics(): ServerMetrics {
  const requests = new SeriesHistogram(
    "kuma_cp_http_request_duration_seconds",
    "Time to answer an HTTP API request, by route template, method and status",
  );
  const storeOperations = new SeriesHistogram(
    "kuma_cp_store_operation_duration_seconds",
    "Time of store operations, by operation and outcome",
  );
  let probe: () => Promise<boolean> = async () => true;

  // prom-client comes with prometheus-registry.js on the first scrape. That module imports it
  // statically: in the bundle, a dynamic import of prom-client itself would only have `default`.
  const createRegistry = async (): Promise<Registry> =>
    (await import("./prometheus-registry.js")).createRegistry(
      [
        requests.counterMetric("kuma_cp_http_requests_total", "HTTP API requests answered, by route template, method and status"),
        requests.histogramMetric(),
        storeOperations.histogramMetric(),
      ],
      () => probe(),
    );
  let registry: Promise<Registry> | undefined;
  const registryOnce = (): Promise<Registry> =>
    (registry ??= createRegistry().catch((error: unknown) => {
      registry = undefined; // the next scrape tries again
      throw error;
    }));

  return {
    async scrape() {
      const ready = await registryOnce();
      return { contentType: ready.contentType, text: await ready.metrics() };
    },
    observeRequest(route, method, status, seconds) {
      const key = `${route} ${method} ${status}`;
      const series = requests.find(key) ?? requests.add(key, { route, method, status: String(status) });
      SeriesHistogram.observe(series, seconds);
    },
    observeStoreOperation(operation, outcome, seconds) {
      const key = `${operation} ${outcome}`;
      SeriesHistogram.observe(storeOperations.find(key) ?? storeOperations.add(key, { operation, outcome }), seconds);
    },
    setStoreProbe(next) {
      probe = next;
    },
  };
}
