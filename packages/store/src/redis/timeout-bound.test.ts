import { MeshType } from "@kuma-ts/model";
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreUnavailableError } from "../errors.js";
import { createRedisStore } from "./store.js";

const TIMEOUT_MS = 1000;
/** Scheduling slack on a busy machine; well below the extra TIMEOUT_MS a queued command would wait. */
const SLACK_MS = 400;

describe("the Redis store's command timeout with concurrent operations", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    redis?.resume();
    await redis?.stop();
  });

  it("bounds an operation that starts while another one hangs by the command timeout, not twice it", async () => {
    const store = createRedisStore({
      url: redis.url,
      keyPrefix: "bound",
      commandTimeoutMs: TIMEOUT_MS,
    });
    try {
      await store.ping();
      redis.pause();
      const timed = async (): Promise<{ ms: number; error: unknown }> => {
        const started = performance.now();
        const error = await store.get(MeshType, undefined, "m").then(
          () => undefined,
          (e: unknown) => e,
        );
        return { ms: performance.now() - started, error };
      };
      // The first operation's commands are sent and hang; the second's are issued while they do.
      const first = timed();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const second = timed();
      const results = await Promise.all([first, second]);
      for (const { ms, error } of results) {
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect(ms).toBeLessThanOrEqual(TIMEOUT_MS + SLACK_MS);
      }
    } finally {
      redis.resume();
      await store.close();
    }
  });
});
