import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { bearer, REMOTE } from "./test-support/auth.js";
import { redisBackend, storeBackends } from "./test-support/store-backends.js";

const LIMITED = {
  KUMA_API_SERVER_RATE_LIMIT_ENABLED: "true",
  KUMA_API_SERVER_RATE_LIMIT_READS_PER_SECOND: "1",
  KUMA_API_SERVER_RATE_LIMIT_READ_BURST: "3",
  KUMA_API_SERVER_RATE_LIMIT_WRITES_PER_SECOND: "1",
  KUMA_API_SERVER_RATE_LIMIT_WRITE_BURST: "2",
};

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
    expect(refused.json).toEqual({ title: "Too many requests", details: "rate limit exceeded, retry after 1s" });
    expect(refused.headers.get("retry-after")).toBe("1");
    for (let i = 0; i < 10; i++) expect((await api.get("/meshes")).status).toBe(200);
    // Writes have a budget of their own.
    expect((await api.put("/meshes/a", { type: "Mesh", name: "a" }, REMOTE)).status).toBe(201);
  });

  it("key token users by name and charge failed authentications to the address", async () => {
    const api = await start();
    const token = (await api.request("POST", "/tokens/user", { body: '{"name":"alice","validFor":"1h"}' })).text;
    for (let i = 0; i < 3; i++) expect((await api.get("/meshes", bearer("garbage"))).status).toBe(401);
    expect((await api.get("/meshes", bearer("garbage"))).status).toBe(429);
    expect((await api.get("/meshes", REMOTE)).status).toBe(429); // the same address
    for (let i = 0; i < 3; i++) expect((await api.get("/meshes", bearer(token))).status).toBe(200);
    expect((await api.get("/meshes", bearer(token))).status).toBe(429);
  });
});

describe("rate limits across replicas on one Redis", () => {
  const backend = redisBackend();
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("share one budget per caller", async () => {
    const store = backend.createStore();
    const peer = backend.peerOf(store);
    const [a, b] = await Promise.all([startApi(backend, { env: LIMITED, store }), startApi(backend, { env: LIMITED, store: peer })]);
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
