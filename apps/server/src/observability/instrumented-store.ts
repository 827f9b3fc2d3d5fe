/** A store wrapper that times every operation for the metrics. */
import type { ResourceStore } from "@kuma-ts/store";
import type { ServerMetrics } from "./metrics.js";

/** The same store, with each operation's latency and outcome recorded. */
export function instrumentStore(store: ResourceStore, metrics: ServerMetrics): ResourceStore {
  const time = <R>(operation: string, run: () => Promise<R>): Promise<R> => {
    const start = performance.now();
    return run().then(
      (result) => {
        metrics.observeStoreOperation(operation, "ok", (performance.now() - start) / 1000);
        return result;
      },
      (error: unknown) => {
        metrics.observeStoreOperation(operation, "error", (performance.now() - start) / 1000);
        throw error;
      },
    );
  };
  return {
    globalSecrets: store.globalSecrets,
    tokenBuckets: store.tokenBuckets,
    slotLeases: store.slotLeases,
    get: (type, mesh, name) => time("get", () => store.get(type, mesh, name)),
    getMany: (type, mesh, names) => time("getMany", () => store.getMany(type, mesh, names)),
    list: (type, mesh, options) => time("list", () => store.list(type, mesh, options)),
    create: (resource) => time("create", () => store.create(resource)),
    update: (resource, options) => time("update", () => store.update(resource, options)),
    put: (resource) => time("put", () => store.put(resource)),
    delete: (type, mesh, name, options) =>
      time("delete", () => store.delete(type, mesh, name, options)),
    deleteMesh: (name) => time("deleteMesh", () => store.deleteMesh(name)),
    ping: () => time("ping", () => store.ping()),
    watch: (listener, onInterrupted) => store.watch(listener, onInterrupted),
    historyToken: (mesh) => time("historyToken", () => store.historyToken(mesh)),
    readHistory: (mesh, token, limit) =>
      time("readHistory", () => store.readHistory(mesh, token, limit)),
    close: () => store.close(),
  };
}
