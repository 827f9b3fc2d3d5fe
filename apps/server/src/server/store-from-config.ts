/** The store `store.*` describes: memory by default, Redis with `store.type: redis`. */
import type { ServerConfig } from "@kuma-ts/model";
import { createMemoryStore, type ResourceStore } from "@kuma-ts/store";

/** Creates the configured store; it connects lazily, so an unreachable Redis is not an error here. */
export function createStoreFromConfig(config: ServerConfig["store"]): ResourceStore {
  if (config.type === "memory") return createMemoryStore();
  throw new Error("the Redis store is not available yet");
}
