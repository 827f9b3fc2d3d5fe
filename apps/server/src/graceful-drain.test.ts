import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MeshType } from "@kuma-ts/model";
import { DRAIN_GRACE_MS, startServer } from "./server/start-server.js";
import { testConfig } from "./test-support/api.js";
import { openRaw } from "./test-support/raw-connection.js";
import { storeBackends } from "./test-support/store-backends.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MESH = '{"type":"Mesh","name":"late"}';

describe.each(storeBackends())("graceful drain ($name store)", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("answers requests that arrive just after the drain began on open connections, with Connection: close", async () => {
    const store = backend.createStore();
    const server = await startServer({ config: testConfig(), store });
    // A kept-alive connection, idle when the drain begins, and one accepted but not used yet.
    const kept = await openRaw(server.apiUrl);
    await kept.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    await kept.waitFor(/"tagline":"Kuma"/);
    const fresh = await openRaw(server.apiUrl);
    await sleep(20);
    const closing = server.close();
    await sleep(20);
    await kept.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    await fresh.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    const second = (await kept.waitFor(/HTTP\/1\.1 200[\s\S]*HTTP\/1\.1 200[^]*"tagline":"Kuma"[^]*\}/)).split("HTTP/1.1 200")[2];
    expect(second).toMatch(/connection: close/i);
    expect(await fresh.waitFor(/HTTP\/1\.1 200[^]*"tagline":"Kuma"[^]*\}/)).toMatch(/connection: close/i);
    await closing;
    await sleep(50);
    expect(kept.closed() && fresh.closed()).toBe(true);
    await store.close();
  });

  it("lets an in-flight request finish, refuses new connections, closes idle ones, then resolves", async () => {
    const store = backend.createStore();
    const server = await startServer({ config: testConfig(), store });
    const idle = await openRaw(server.apiUrl);
    await idle.write("GET / HTTP/1.1\r\nHost: test\r\n\r\n");
    await idle.waitFor(/"tagline":"Kuma"/);

    const inFlight = await openRaw(server.apiUrl);
    await inFlight.write(
      `PUT /meshes/late HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${MESH.length}\r\n\r\n${MESH.slice(0, 10)}`,
    );
    await sleep(50);
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await sleep(DRAIN_GRACE_MS + 150);
    expect(closed).toBe(false);
    expect(idle.closed()).toBe(true);
    await expect(fetch(`${server.apiUrl}/`)).rejects.toThrow();

    await inFlight.write(MESH.slice(10));
    const answer = await inFlight.waitFor(/HTTP\/1\.1 201[\s\S]*\{\}/);
    expect(answer).toMatch(/connection: close/i);
    await closing;
    expect(closed).toBe(true);
    expect(await store.get(MeshType, undefined, "late")).toBeDefined();
    await store.close();
  });

  it("closes what is still open after apiServer.drainTimeout", async () => {
    const store = backend.createStore();
    const server = await startServer({ config: testConfig({ KUMA_API_SERVER_DRAIN_TIMEOUT: "300ms" }), store });
    const stuck = await openRaw(server.apiUrl);
    await stuck.write(`PUT /meshes/never HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{`);
    await sleep(50);
    const started = Date.now();
    await server.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(3000);
    await sleep(50);
    expect(stuck.closed()).toBe(true);
    await store.close();
  });
});
