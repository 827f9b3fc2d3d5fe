import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DataplaneType, MeshType } from "@kuma-ts/model";
import { startRedisSentinel, startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ResourceStore } from "../contract.js";
import { CorruptedValueError, StoreUnavailableError } from "../errors.js";
import { describeRedisConcurrency } from "../test-support/concurrency-suite.js";
import { describeStoreContract } from "../test-support/contract-suite.js";
import { describeHistoryContract } from "../test-support/history-suite.js";
import {
  redisFixture,
  redisHistoryFixture,
  scanKeys,
  uniquePrefix,
} from "../test-support/redis.js";
import { dataplane, mesh, trafficRoute } from "../test-support/resources.js";
import type { RedisStoreOptions } from "./options.js";
import { createRedisStore } from "./store.js";

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});

const node = () => [{ host: redis.host, port: redis.port }];

describeStoreContract(
  "Redis standalone",
  redisFixture(() => ({ url: redis.url })),
  { sharedBackend: true },
);
describeHistoryContract(
  "Redis standalone",
  redisHistoryFixture(() => ({ url: redis.url })),
);
describeRedisConcurrency("Redis standalone", () => ({ url: redis.url }), node);

describe("the Redis store on a standalone server", () => {
  const opened: ResourceStore[] = [];
  const open = (options: RedisStoreOptions = {}): ResourceStore => {
    const store = createRedisStore({ url: redis.url, keyPrefix: uniquePrefix(), ...options });
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  it("keeps a mesh's keys under its hash tag and the mesh index under the prefix's", async () => {
    const prefix = uniquePrefix("layout");
    const store = open({ keyPrefix: prefix });
    await store.create(mesh("default"));
    await store.create(dataplane("default", "dp-1"));
    await store.create(trafficRoute("default", "route"));
    expect(await scanKeys(node(), `*${prefix}*`)).toEqual(
      [
        `{${prefix}:default}:Dataplane`,
        `{${prefix}:default}:Dataplane:names`,
        `{${prefix}:default}:TrafficRoute`,
        `{${prefix}:default}:TrafficRoute:names`,
        `{${prefix}:default}:changes`,
        `{${prefix}:default}:mesh`,
        `{${prefix}:default}:version`,
        `{${prefix}}:meshes`,
        `{${prefix}}:meshes:changes`,
      ].sort(),
    );
    const admin = new Redis(redis.port);
    try {
      const record = await admin.hget(`{${prefix}:default}:Dataplane`, "dp-1");
      const stored = await store.get(DataplaneType, "default", "dp-1");
      expect(record).toBe(`${stored?.version} ${stored?.json}`);
      expect(
        await admin.zrange(`{${prefix}:default}:Dataplane:names`, 0, -1, "WITHSCORES"),
      ).toEqual(["dp-1", "0"]);
      expect(await admin.zrange(`{${prefix}}:meshes`, 0, -1)).toEqual(["default"]);
    } finally {
      admin.disconnect();
    }
  });

  it("keeps stores with different key prefixes apart on one Redis", async () => {
    const a = open({ keyPrefix: uniquePrefix("a") });
    const b = open({ keyPrefix: uniquePrefix("b") });
    await a.create(mesh("shared-name"));
    expect(await b.get(MeshType, undefined, "shared-name")).toBeUndefined();
    expect((await b.list(MeshType, undefined)).total).toBe(0);
    await b.create(mesh("shared-name"));
    await a.deleteMesh("shared-name");
    expect(await b.get(MeshType, undefined, "shared-name")).toBeDefined();
  });

  it("refuses a key prefix that could break the key layout", () => {
    for (const keyPrefix of ["", "a:b", "{a}", "a b", "x".repeat(65)]) {
      expect(() => createRedisStore({ url: redis.url, keyPrefix })).toThrow(TypeError);
    }
  });

  it("fails with CorruptedValueError naming the key when a stored value does not decode", async () => {
    const prefix = uniquePrefix("corrupt");
    const store = open({ keyPrefix: prefix });
    await store.create(mesh("m"));
    await store.create(dataplane("m", "dp-1"));
    const admin = new Redis(redis.port);
    try {
      const key = `{${prefix}:m}:Dataplane`;
      for (const garbage of [
        "not json",
        "12 {not json",
        '7 {"type":"Dataplane","mesh":"m","name":"dp-1","bogus":1}',
        '7 {"type":"Dataplane","mesh":"m","name":"other"}',
      ]) {
        await admin.hset(key, "dp-1", garbage);
        const error = await store.get(DataplaneType, "m", "dp-1").catch((e: unknown) => e);
        expect(error, garbage).toBeInstanceOf(CorruptedValueError);
        expect(error).toMatchObject({ code: "CORRUPTED", key });
        expect((error as Error).message).toContain(key);
        expect((error as Error).message).toContain("dp-1");
        await expect(store.list(DataplaneType, "m")).rejects.toBeInstanceOf(CorruptedValueError);
      }
      await admin.set(`{${prefix}:m}:mesh`, "1 []");
      await expect(store.get(MeshType, undefined, "m")).rejects.toThrow(`{${prefix}:m}:mesh`);
      // An update repairs a damaged record rather than failing on it.
      await store.update(mesh("m"));
      expect(await store.get(MeshType, undefined, "m")).toBeDefined();
    } finally {
      admin.disconnect();
    }
  });

  it("serves a record read again unchanged as the same object, and sees every change underneath", async () => {
    const prefix = uniquePrefix("cache");
    const store = open({ keyPrefix: prefix });
    const peer = open({ keyPrefix: prefix });
    await store.create(mesh("m"));
    await store.create(dataplane("m", "dp-1"));
    await store.create(dataplane("m", "dp-2"));
    const first = await store.get(DataplaneType, "m", "dp-1");
    expect(await store.get(DataplaneType, "m", "dp-1")).toBe(first);
    expect((await store.list(DataplaneType, "m")).items[0]).toBe(first);
    expect((await store.getMany(DataplaneType, "m", ["dp-1"]))[0]).toBe(first);
    const meshRead = await store.get(MeshType, undefined, "m");
    expect((await store.list(MeshType, undefined)).items[0]).toBe(meshRead);

    // Another replica's write.
    const updated = await peer.update(dataplane("m", "dp-1", { n: "1" }));
    const afterPeer = await store.get(DataplaneType, "m", "dp-1");
    expect(afterPeer?.version).toBe(updated.version);
    expect(afterPeer?.resource.networking?.inbound?.[0]?.tags).toEqual({ service: "web", n: "1" });
    expect((await store.list(DataplaneType, "m")).items[0]?.version).toBe(updated.version);

    const key = `{${prefix}:m}:Dataplane`;
    const admin = new Redis(redis.port);
    try {
      // Another client's write of a valid record, keeping even the version.
      const record = (await admin.hget(key, "dp-1")) ?? "";
      await admin.hset(key, "dp-1", record.replace('"10.0.0.1"', '"10.0.0.9"'));
      const edited = await store.get(DataplaneType, "m", "dp-1");
      expect(edited?.version).toBe(updated.version);
      expect(edited?.resource.networking?.address).toBe("10.0.0.9");
      expect((await store.list(DataplaneType, "m")).items[0]?.json).toContain('"10.0.0.9"');
      // A corrupted value over a cached good one is detected by every read.
      await store.get(DataplaneType, "m", "dp-2");
      for (const garbage of [
        "x",
        `${updated.version} {"type":"Dataplane","mesh":"m","name":"dp-2","bogus":1}`,
        record
          .replace('"name":"dp-1"', '"name":"dp-2"')
          .replace('"address"', '"bogus":1,"address"'),
      ]) {
        await admin.hset(key, "dp-2", garbage);
        await expect(store.get(DataplaneType, "m", "dp-2"), garbage).rejects.toThrow(key);
        await expect(store.list(DataplaneType, "m")).rejects.toBeInstanceOf(CorruptedValueError);
        await expect(store.getMany(DataplaneType, "m", ["dp-2"])).rejects.toBeInstanceOf(
          CorruptedValueError,
        );
      }
      // And a record moved to another field is checked against its new place.
      await admin.hset(key, "dp-2", record);
      await expect(store.get(DataplaneType, "m", "dp-2")).rejects.toBeInstanceOf(
        CorruptedValueError,
      );
    } finally {
      admin.disconnect();
    }
  });

  it("keeps no record with recordCacheSize 0", async () => {
    const store = open({ recordCacheSize: 0 });
    await store.create(mesh("m"));
    await store.create(dataplane("m", "dp-1"));
    const first = await store.get(DataplaneType, "m", "dp-1");
    const second = await store.get(DataplaneType, "m", "dp-1");
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(() => createRedisStore({ url: redis.url, recordCacheSize: -1 })).toThrow(RangeError);
  });

  it("reads a page of 10 from 500 items in one round trip that touches only the page", async () => {
    const prefix = uniquePrefix("page");
    const store = open({ keyPrefix: prefix });
    await store.create(mesh("m"));
    await Promise.all(
      Array.from({ length: 500 }, (_, i) => store.create(dataplane("m", `dp-${i}`))),
    );
    const first = await store.list(DataplaneType, "m", { size: 10 });
    const monitor = await new Redis(redis.port).monitor();
    const seen: { args: string[]; source: string }[] = [];
    monitor.on("monitor", (_time: string, args: string[], source: string) => {
      if (args.some((arg) => arg.includes(prefix))) seen.push({ args, source });
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const page = await store.list(DataplaneType, "m", { size: 10, offset: first.nextOffset });
      expect(page.items).toHaveLength(10);
      expect(page.total).toBe(500);
      const got = await store.get(DataplaneType, "m", "dp-42");
      expect(got).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      monitor.disconnect();
    }
    const fromClient = seen.filter((c) => c.source !== "lua").map((c) => c.args[0]?.toLowerCase());
    expect(fromClient).toEqual(["evalsha", "hget"]);
    const hmget = seen.filter((c) => c.source === "lua" && c.args[0]?.toLowerCase() === "hmget");
    expect(hmget).toHaveLength(1);
    expect(hmget[0]?.args).toHaveLength(2 + 10);
  });

  it("connects with a password and reports a wrong one as unavailable", async () => {
    const secured = await startRedisServer({ args: ["--requirepass", "s3cret"] });
    try {
      const good = open({ url: secured.url, password: "s3cret" });
      await good.create(mesh("m"));
      const inUrl = open({ url: `redis://:s3cret@127.0.0.1:${secured.port}/0` });
      await inUrl.ping();
      const bad = open({ url: secured.url, password: "wrong", commandTimeoutMs: 500 });
      await expect(bad.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await secured.stop();
    }
  });

  it("speaks TLS with a trusted CA and a client certificate, given as paths or as contents", async () => {
    const file = (name: string): string =>
      fileURLToPath(new URL(`../test-support/tls/${name}`, import.meta.url));
    const secured = await startRedisServer({
      tls: { certFile: file("server.crt"), keyFile: file("server.key"), caFile: file("ca.crt") },
    });
    try {
      const url = `redis://127.0.0.1:${secured.tlsPort}`;
      const byPath = open({
        url,
        tls: {
          enabled: true,
          caPath: file("ca.crt"),
          certPath: file("client.crt"),
          keyPath: file("client.key"),
        },
      });
      await byPath.create(mesh("over-tls"));
      const byContents = open({
        url,
        tls: {
          enabled: true,
          ca: readFileSync(file("ca.crt")),
          cert: readFileSync(file("client.crt"), "utf8"),
          key: readFileSync(file("client.key")),
        },
      });
      expect(await byContents.get(MeshType, undefined, "over-tls")).toBeUndefined(); // another prefix
      await byContents.ping();
      const untrusted = open({
        url,
        tls: { enabled: true, certPath: file("client.crt"), keyPath: file("client.key") },
        commandTimeoutMs: 500,
      });
      await expect(untrusted.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      const plain = open({ url, commandTimeoutMs: 500 });
      await expect(plain.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await secured.stop();
    }
  });

  it("survives TLS handshakes refused on both ends, again and again, without an uncaught error", async () => {
    // Each refused handshake reports two errors on one socket; ioredis listens for one only.
    const file = (name: string): string =>
      fileURLToPath(new URL(`../test-support/tls/${name}`, import.meta.url));
    const secured = await startRedisServer({
      tls: { certFile: file("server.crt"), keyFile: file("server.key"), caFile: file("ca.crt") },
    });
    try {
      for (let attempt = 0; attempt < 40; attempt++) {
        const untrusted = open({
          url: `redis://127.0.0.1:${secured.tlsPort}`,
          tls: { enabled: true, certPath: file("client.crt"), keyPath: file("client.key") },
          commandTimeoutMs: 50 + (attempt % 7) * 20,
        });
        await expect(untrusted.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
        await Promise.all(opened.splice(0).map((store) => store.close()));
      }
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await secured.stop();
    }
  });

  it("finds the master through Sentinel", async () => {
    const sentinel = await startRedisSentinel({ masterPort: redis.port });
    try {
      const store = open({
        mode: "sentinel",
        nodes: [`127.0.0.1:${sentinel.port}`],
        sentinelMasterName: sentinel.masterName,
      });
      await store.create(mesh("via-sentinel"));
      expect((await store.get(MeshType, undefined, "via-sentinel"))?.resource.name).toBe(
        "via-sentinel",
      );
    } finally {
      await Promise.all(opened.splice(0).map((store) => store.close()));
      await sentinel.stop();
    }
  });

  it("fails with StoreUnavailableError within the command timeout when nothing listens", async () => {
    const gone = await startRedisServer();
    const url = gone.url;
    await gone.stop();
    const store = open({ url, commandTimeoutMs: 300, connectTimeoutMs: 300 });
    const started = Date.now();
    const results = await Promise.allSettled([
      store.ping(),
      store.get(MeshType, undefined, "m"),
      store.create(mesh("m")),
      store.list(DataplaneType, "m", { size: 5 }),
      store.watch(() => undefined),
    ]);
    expect(Date.now() - started).toBeLessThan(300 + 400);
    for (const result of results) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
    }
  });
});
