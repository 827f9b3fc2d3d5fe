/**
 * The prom-client side of the server metrics, in a module of its own so that
 * metrics.ts can import it, and prom-client with it, on the first scrape
 * rather than at start-up.
 */
import { Gauge, Registry } from "prom-client";
import type { CustomMetric } from "./metrics.js";

/** A registry of `metrics` and of `kuma_cp_store_connected`, set from `storeAnswers` at each scrape. */
export function createRegistry(metrics: readonly CustomMetric[], storeAnswers: () => Promise<boolean>): Registry {
  const registry = new Registry();
  // The registry only reads name, help, type and get() of what it is given.
  for (const metric of metrics) registry.registerMetric(metric as never);
  new Gauge({
    name: "kuma_cp_store_connected",
    help: "1 when the store answers, 0 when it is unreachable",
    registers: [registry],
    async collect() {
      this.set((await storeAnswers()) ? 1 : 0);
    },
  });
  return registry;
}
