/** Slot leases in process memory (the memory store's: one process, one count). */
import type { SlotLeases } from "./contract.js";

/** Keys whose leases all expired are forgotten once there are this many. */
const SWEEP_AT = 10_000;

/** In-memory slot leases; `now` in milliseconds. */
export function createMemorySlotLeases(
  now: () => number = () => performance.timeOrigin + performance.now(),
): SlotLeases {
  /** Key → holder → expiry. */
  const leases = new Map<string, Map<string, number>>();
  const live = (key: string, time: number): Map<string, number> => {
    const holders = leases.get(key) ?? new Map<string, number>();
    for (const [holder, expiry] of holders) if (expiry <= time) holders.delete(holder);
    return holders;
  };
  const store = (key: string, holders: Map<string, number>): void => {
    if (holders.size === 0) leases.delete(key);
    else leases.set(key, holders);
  };
  return {
    async acquire(key: string, holder: string, max: number, ttlMs: number): Promise<boolean> {
      const time = now();
      if (leases.size >= SWEEP_AT)
        for (const other of [...leases.keys()]) store(other, live(other, time));
      const holders = live(key, time);
      const admitted = holders.has(holder) || holders.size < max;
      if (admitted) holders.set(holder, time + ttlMs);
      store(key, holders);
      return admitted;
    },
    async renew(key: string, holders: readonly string[], ttlMs: number): Promise<void> {
      const time = now();
      const held = live(key, time);
      for (const holder of holders) held.set(holder, time + ttlMs);
      store(key, held);
    },
    async release(key: string, holder: string): Promise<void> {
      const holders = live(key, now());
      holders.delete(holder);
      store(key, holders);
    },
  };
}
