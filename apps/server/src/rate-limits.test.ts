import { createMemoryStore, StoreUnavailableError, type ResourceStore } from "@kuma-ts/store";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openWatchLeases } from "./auth/rate-limiter.js";
import { startServer } from "./server/start-server.js";
import { startApi, testConfig, type TestApi } from "./test-support/api.js";
import { bearer, REMOTE } from "./test-support/auth.js";
import { openEventStream, type EventStream } from "./test-support/event-stream.js";
import { redisBackend, redisClusterBackend, storeBackends } from "./test-support/store-backends.js";

const LIMITED = {
  KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true",
  KUMA_API_SERVER_RATE_LIMIT_READS_PER_SECOND: "1",
  KUMA_API_SERVER_RATE_LIMIT_READ_BURST: "3",
  KUMA_API_SERVER_RATE_LIMIT_WRITES_PER_SECOND: "1",
  KUMA_API_SERVER_RATE_LIMIT_WRITE_BURST: "2",
};

// Replicas share limits only over Redis: their cases run on a standalone server and on a Cluster.
const shared = [redisBackend(), redisClusterBackend()];
beforeAll(async () => {
  await Promise.all(shared.map((backend) => backend.start()));
}, 60_000);
afterAll(async () => {
  await Promise.all(shared.map((backend) => backend.stop()));
});

describe.each(storeBackends())("rate limits on the $name store", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const apis: TestApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });
  const start = async (env: Record<string, string> = LIMITED): Promise<TestApi> => {
    const api = await startApi(backend, { env });
    apis.push(api);
    return api;
  };

  it("are off by default", async () => {
    const api = await start({});
    for (let i = 0; i < 30; i++) expect((await api.get("/meshes", REMOTE)).status).toBe(200);
  });

  it("answer 429 with Retry-After once a caller's burst is spent, and exempt the local admin", async () => {
    const api = await start();
    for (let i = 0; i < 3; i++) expect((await api.get("/meshes", REMOTE)).status).toBe(200);
    const refused = await api.get("/meshes", REMOTE);
    expect(refused.status).toBe(429);
    expect(refused.json).toEqual({
      title: "Too many requests",
      details: "rate limit exceeded, retry after 1s",
    });
    expect(refused.headers.get("retry-after")).toBe("1");
    for (let i = 0; i < 10; i++) expect((await api.get("/meshes")).status).toBe(200);
    // Writes have a budget of their own.
    expect((await api.put("/meshes/a", { type: "Mesh", name: "a" }, REMOTE)).status).toBe(201);
  });

  it("key token users by name and charge failed authentications to the address", async () => {
    const api = await start();
    const token = (
      await api.request("POST", "/tokens/user", { body: '{"name":"alice","validFor":"1h"}' })
    ).text;
    for (let i = 0; i < 3; i++)
      expect((await api.get("/meshes", bearer("garbage"))).status).toBe(401);
    expect((await api.get("/meshes", bearer("garbage"))).status).toBe(429);
    expect((await api.get("/meshes", REMOTE)).status).toBe(429); // the same address
    for (let i = 0; i < 3; i++) expect((await api.get("/meshes", bearer(token))).status).toBe(200);
    expect((await api.get("/meshes", bearer(token))).status).toBe(429);
  });
});

describe.each(shared)("rate limits across replicas on one $name store", (backend) => {
  const streams: EventStream[] = [];
  afterEach(() => {
    for (const stream of streams.splice(0)) stream.close();
  });
  const watch = async (
    api: TestApi,
    headers: Record<string, string> = REMOTE,
  ): Promise<EventStream> => {
    const stream = await openEventStream(`${api.url}/meshes/default/events`, headers);
    streams.push(stream);
    return stream;
  };

  it("count a caller's open watches on every replica together", async () => {
    const env = {
      KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true",
      KUMA_API_SERVER_RATE_LIMIT_MAX_WATCHES_PER_CLIENT: "2",
    };
    const store = backend.createStore();
    const peer = backend.peerOf(store);
    const [a, b] = await Promise.all([
      startApi(backend, { env, store }),
      startApi(backend, { env, store: peer }),
    ]);
    try {
      const onA = await watch(a);
      expect(onA.status).toBe(200);
      await onA.until("synced");
      const onB = await watch(b);
      expect(onB.status).toBe(200);
      await onB.until("synced");
      for (const api of [a, b]) {
        const refused = await watch(api);
        expect(refused.status).toBe(429);
        expect(refused.headers.get("retry-after")).toBe("1");
        await refused.ended;
        expect(JSON.parse(refused.text())).toEqual({
          title: "Too many requests",
          details: "rate limit exceeded, retry after 1s",
        });
      }
      // The local admin is exempt.
      expect((await watch(a, {})).status).toBe(200);
      // Closing the watch on A frees its slot for B once A saw it go.
      onA.close();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const again = await watch(b);
        status = again.status;
        if (status !== 200) again.close();
      }
      expect(status).toBe(200);
      expect((await watch(a)).status).toBe(429);
    } finally {
      for (const stream of streams.splice(0)) stream.close();
      await Promise.all([a.close(), b.close()]);
      await Promise.all([store.close(), peer.close()]);
    }
  }, 20_000);

  it("share one budget per caller", async () => {
    const store = backend.createStore();
    const peer = backend.peerOf(store);
    const [a, b] = await Promise.all([
      startApi(backend, { env: LIMITED, store }),
      startApi(backend, { env: LIMITED, store: peer }),
    ]);
    try {
      expect((await a.get("/meshes", REMOTE)).status).toBe(200);
      expect((await b.get("/meshes", REMOTE)).status).toBe(200);
      expect((await a.get("/meshes", REMOTE)).status).toBe(200);
      expect((await b.get("/meshes", REMOTE)).status).toBe(429);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([store.close(), peer.close()]);
    }
  });
});

describe("rate limits while the store fails", () => {
  it("admit requests and watches (fail open) and warn at most once a minute", async () => {
    const down = () => Promise.reject(new StoreUnavailableError("down"));
    const store: ResourceStore = {
      ...createMemoryStore(),
      tokenBuckets: { take: down },
      slotLeases: { acquire: down, renew: down, release: down },
    };
    const warnings: string[] = [];
    const logger = pino(
      { level: "warn" },
      { write: (line: string) => void warnings.push(JSON.parse(line).msg) },
    );
    const env = {
      KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true",
      KUMA_API_SERVER_RATE_LIMIT_MAX_WATCHES_PER_CLIENT: "1",
    };
    const server = await startServer({ config: testConfig(env), store, logger });
    const streams: EventStream[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const stream = await openEventStream(`${server.apiUrl}/meshes/default/events`, REMOTE);
        streams.push(stream);
        expect(stream.status).toBe(200);
      }
      expect((await fetch(`${server.apiUrl}/meshes`, { headers: REMOTE })).status).toBe(200);
      expect(warnings).toEqual([
        "the rate limiter cannot reach the store: requests are not limited meanwhile",
      ]);
    } finally {
      for (const stream of streams) stream.close();
      await server.close();
    }
  });
});

describe.each(shared)("the leases of open watches on the $name store", (backend) => {
  it("are renewed while the watch is open, and freed at once when it ends", async () => {
    const store = backend.createStore();
    const peer = backend.peerOf(store);
    const warnings: unknown[] = [];
    const leases = openWatchLeases(
      store.slotLeases,
      (error) => warnings.push(error),
      pino({ level: "silent" }),
      600,
    );
    try {
      const release = await leases.open("watch:user:alice", 1);
      expect(release).toBeDefined();
      expect(await leases.open("watch:user:alice", 1)).toBeUndefined();
      // Well past its ttl, the lease is still held (renewed every 200 ms), on another replica too.
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(await peer.slotLeases.acquire("watch:user:alice", "other", 1, 600)).toBe(false);
      release!();
      let admitted = false;
      for (let i = 0; i < 40 && !admitted; i++) {
        admitted = await peer.slotLeases.acquire("watch:user:alice", "other", 1, 600);
        if (!admitted) await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(admitted).toBe(true);
      expect(warnings).toEqual([]);
    } finally {
      await Promise.all([store.close(), peer.close()]);
    }
  });
});
