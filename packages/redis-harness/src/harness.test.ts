import { afterAll, describe, expect, it } from "vitest";
import {
  RedisNotInstalledError,
  sendCommand,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
} from "./index.js";

describe("startRedisServer", () => {
  it("starts a server on a free port other than 6379 that answers PING", async () => {
    const redis = await startRedisServer();
    try {
      expect(redis.port).not.toBe(6379);
      expect(redis.url).toBe(`redis://127.0.0.1:${redis.port}`);
      expect(await sendCommand(redis.port, ["PING"])).toBe("PONG");
      expect(await sendCommand(redis.port, ["CONFIG", "GET", "appendonly"])).toEqual([
        "appendonly",
        "no",
      ]);
    } finally {
      await redis.stop();
    }
    await expect(sendCommand(redis.port, ["PING"])).rejects.toThrow();
  });

  it("restarts a killed server on the same port", async () => {
    const redis = await startRedisServer();
    try {
      await sendCommand(redis.port, ["SET", "k", "v"]);
      await redis.kill();
      await expect(sendCommand(redis.port, ["PING"])).rejects.toThrow();
      await redis.restart();
      expect(await sendCommand(redis.port, ["PING"])).toBe("PONG");
      expect(await sendCommand(redis.port, ["GET", "k"])).toBeNull();
    } finally {
      await redis.stop();
    }
  });

  it("pauses a server so that it stops answering, and resumes it", async () => {
    const redis = await startRedisServer();
    try {
      redis.pause();
      await expect(sendCommand(redis.port, ["PING"], { timeoutMs: 200 })).rejects.toThrow(
        /no reply/,
      );
      redis.resume();
      expect(await sendCommand(redis.port, ["PING"])).toBe("PONG");
      redis.pause();
    } finally {
      await redis.stop();
    }
  });

  it("says how to install redis-server when it is missing instead of skipping", async () => {
    const previous = process.env["REDIS_SERVER_BIN"];
    process.env["REDIS_SERVER_BIN"] = "redis-server-that-does-not-exist";
    try {
      await expect(startRedisServer()).rejects.toThrow(RedisNotInstalledError);
      await expect(startRedisServer()).rejects.toThrow(/apt-get install redis-server/);
    } finally {
      if (previous === undefined) delete process.env["REDIS_SERVER_BIN"];
      else process.env["REDIS_SERVER_BIN"] = previous;
    }
  });
});

describe("startRedisSentinel", () => {
  it("starts a sentinel that names the master's address", async () => {
    const master = await startRedisServer();
    const sentinel = await startRedisSentinel({ masterPort: master.port });
    try {
      expect(
        await sendCommand(sentinel.port, ["SENTINEL", "get-master-addr-by-name", "mymaster"]),
      ).toEqual(["127.0.0.1", String(master.port)]);
    } finally {
      await sentinel.stop();
      await master.stop();
    }
  });
});

describe("startRedisCluster", () => {
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(started.map((s) => s.stop()));
  });

  it("starts a cluster of 3 masters covering every slot", async () => {
    const cluster = await startRedisCluster({ masters: 3 });
    started.push(cluster);
    expect(cluster.nodes).toHaveLength(3);
    for (const node of cluster.nodes) {
      const info = String(await sendCommand(node.port, ["CLUSTER", "INFO"]));
      expect(info).toContain("cluster_state:ok");
      expect(info).toContain("cluster_size:3");
    }
  });
});
