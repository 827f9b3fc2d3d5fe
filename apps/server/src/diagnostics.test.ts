import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startRedisServer, type RedisServer } from "@kuma-ts/redis-harness";
import { startServer, type RunningServer } from "./server/start-server.js";
import { readAnswer, startApi, testConfig, type TestApi } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

describe.each(storeBackends())("the diagnostics server ($name store)", (backend) => {
  let api: TestApi;
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  beforeEach(async () => {
    api = await startApi(backend);
  });
  afterEach(() => api.close());

  it("answers /healthy and /ready with 200", async () => {
    expect((await readAnswer(await fetch(`${api.diagnosticsUrl}/healthy`))).status).toBe(200);
    const ready = await readAnswer(await fetch(`${api.diagnosticsUrl}/ready`));
    expect(ready.status).toBe(200);
    expect(ready.json).toEqual({ status: "ready" });
    expect((await fetch(`${api.diagnosticsUrl}/nothing`)).status).toBe(404);
  });

  it("exposes request and store metrics in Prometheus format", async () => {
    await api.get("/meshes/default");
    await api.get("/meshes/default");
    await api.get("/meshes/nope");
    await api.put("/meshes/m1", { type: "Mesh", name: "m1" });
    const response = await fetch(`${api.diagnosticsUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('kuma_cp_http_requests_total{route="/meshes/{name}",method="GET",status="200"} 2');
    expect(text).toContain('kuma_cp_http_requests_total{route="/meshes/{name}",method="GET",status="404"} 1');
    expect(text).toContain('kuma_cp_http_requests_total{route="/meshes/{name}",method="PUT",status="201"} 1');
    expect(text).toMatch(/kuma_cp_http_request_duration_seconds_bucket\{le="0\.005",route="\/meshes\/\{name\}",method="GET",status="200"\} \d+/);
    expect(text).toMatch(/kuma_cp_store_operation_duration_seconds_count\{operation="get",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/kuma_cp_store_operation_duration_seconds_count\{operation="put",outcome="ok"\} [1-9]/);
    expect(text).toContain("kuma_cp_store_connected 1");
  });
});

describe("with Redis unreachable", () => {
  let redis: RedisServer;
  let server: RunningServer | undefined;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis.stop());
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  const config = () =>
    testConfig({
      KUMA_STORE_TYPE: "redis",
      KUMA_STORE_REDIS_URL: redis.url,
      KUMA_STORE_REDIS_KEY_PREFIX: `outage-${Date.now()}`,
      KUMA_STORE_REDIS_COMMAND_TIMEOUT: "500ms",
      KUMA_STORE_REDIS_CONNECT_TIMEOUT: "500ms",
    });
  const ready = async () => (await fetch(`${server!.diagnosticsUrl}/ready`)).status;
  const eventually = async (check: () => Promise<boolean>, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error("condition not met in time");
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  it("answers 503 to store-backed requests and /ready, and recovers when Redis is back", async () => {
    server = await startServer({ config: config() });
    expect(await ready()).toBe(200);
    await redis.kill();
    await eventually(async () => (await ready()) === 503);
    const started = Date.now();
    const get = await readAnswer(await fetch(`${server.apiUrl}/meshes/default`));
    expect(get.status).toBe(503);
    expect(get.json).toEqual({ title: "Could not retrieve a resource", details: "Service Unavailable" });
    expect(Date.now() - started).toBeLessThan(2000);
    const list = await readAnswer(await fetch(`${server.apiUrl}/meshes`));
    expect(list.json).toEqual({ title: "Could not retrieve resources", details: "Service Unavailable" });
    const put = await readAnswer(
      await fetch(`${server.apiUrl}/meshes/m1`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"type":"Mesh","name":"m1"}' }),
    );
    expect(put.status).toBe(503);
    expect(put.json.details).toBe("Service Unavailable");
    const del = await readAnswer(await fetch(`${server.apiUrl}/meshes/m1`, { method: "DELETE" }));
    expect(del.json).toEqual({ title: "Could not delete a resource", details: "Service Unavailable" });
    expect((await readAnswer(await fetch(`${server.apiUrl}/`))).status).toBe(200);
    const metrics = await (await fetch(`${server.diagnosticsUrl}/metrics`)).text();
    expect(metrics).toContain("kuma_cp_store_connected 0");

    await redis.restart();
    await eventually(async () => (await ready()) === 200);
    expect((await fetch(`${server.apiUrl}/meshes`)).status).toBe(200);
  });

  it("starts anyway, not ready, and creates the default mesh once Redis answers", async () => {
    await redis.kill();
    server = await startServer({ config: config() });
    expect(await ready()).toBe(503);
    expect((await fetch(`${server.apiUrl}/meshes/default`)).status).toBe(503);
    await redis.restart();
    await eventually(async () => (await ready()) === 200);
    expect((await fetch(`${server.apiUrl}/meshes/default`)).status).toBe(200);
  });
});
