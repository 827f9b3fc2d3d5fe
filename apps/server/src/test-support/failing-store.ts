/** A store double for the failure rows of the error table: a real memory store with some operations replaced. */
import { createMemoryStore, type ResourceStore } from "@kuma-ts/store";

/** A memory store whose listed operations throw what `fail` returns. */
export function failingStore(
  operations: readonly (keyof ResourceStore)[],
  fail: () => Error,
  base: ResourceStore = createMemoryStore(),
): ResourceStore {
  const failing: Partial<Record<keyof ResourceStore, () => Promise<never>>> = {};
  for (const operation of operations) failing[operation] = async () => Promise.reject(fail());
  return {
    globalSecrets: base.globalSecrets,
    tokenBuckets: base.tokenBuckets,
    slotLeases: base.slotLeases,
    get: (...args) => (failing.get ?? base.get)(...args),
    getMany: (...args) => (failing.getMany ?? base.getMany)(...args),
    list: (...args) => (failing.list ?? base.list)(...args),
    create: (...args) => (failing.create ?? base.create)(...args),
    update: (...args) => (failing.update ?? base.update)(...args),
    put: (...args) => (failing.put ?? base.put)(...args),
    delete: (...args) => (failing.delete ?? base.delete)(...args),
    deleteMesh: (...args) => (failing.deleteMesh ?? base.deleteMesh)(...args),
    watch: (...args) => base.watch(...args),
    historyToken: (...args) => (failing.historyToken ?? base.historyToken)(...args),
    readHistory: (...args) => (failing.readHistory ?? base.readHistory)(...args),
    ping: () => (failing.ping ?? base.ping)(),
    close: () => base.close(),
  };
}
