import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { bearer, within } from "./test-support/auth.js";
import { redisBackend, redisClusterBackend } from "./test-support/store-backends.js";

describe.each([redisBackend(), redisClusterBackend()])("user tokens across replicas on one $name store", (backend) => {
  let replicas: TestApi[] = [];
  beforeAll(async () => {
    await backend.start();
    const first = backend.createStore();
    const stores = [first, backend.peerOf(first), backend.peerOf(first), backend.peerOf(first)];
    // Started at once: every one of them tries to create the signing key and the admin token.
    replicas = await Promise.all(stores.map((store) => startApi(backend, { store })));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(replicas.map(async (api) => {
      await api.close();
      await api.store.close();
    }));
    await backend.stop();
  });

  it("creates exactly one signing key and one admin token after a simultaneous start", async () => {
    const names = (await replicas[0]!.store.globalSecrets.list()).map((secret) => secret.name);
    expect(names.filter((name) => name.startsWith("user-token-signing-key"))).toEqual(["user-token-signing-key-1"]);
    expect(names.filter((name) => name === "admin-user-token")).toHaveLength(1);
    const tokens = await Promise.all(replicas.map(async (api) => (await api.get("/global-secrets/admin-user-token")).json.data));
    expect(new Set(tokens).size).toBe(1);
  });

  it("accepts a token issued on one replica on another, and a revocation on one stops it on the others within 1.5 s", async () => {
    const [a, b, c] = replicas as [TestApi, TestApi, TestApi];
    const token = (await a.request("POST", "/tokens/user", { body: '{"name":"alice","validFor":"1h"}' })).text;
    expect((await b.get("/meshes", bearer(token))).status).toBe(200);
    expect((await c.get("/meshes", bearer(token))).status).toBe(200);
    const revoked = await a.request("POST", "/tokens/user/revocations", { body: JSON.stringify({ tokens: [token] }) });
    expect(revoked.status).toBe(200);
    const tookB = await within(1500, async () => (await b.get("/meshes", bearer(token))).status === 401);
    const tookC = await within(1500, async () => (await c.get("/meshes", bearer(token))).status === 401);
    expect(tookB).toBeLessThan(1500);
    expect(tookC).toBeLessThan(1500);
  });

  it("keeps both of two concurrent revocations on different replicas", async () => {
    const [a, b] = replicas as [TestApi, TestApi];
    const issue = async (name: string) => (await a.request("POST", "/tokens/user", { body: JSON.stringify({ name, validFor: "1h" }) })).text;
    const [t1, t2] = await Promise.all([issue("one"), issue("two")]);
    await Promise.all([
      a.request("POST", "/tokens/user/revocations", { body: JSON.stringify({ tokens: [t1] }) }),
      b.request("POST", "/tokens/user/revocations", { body: JSON.stringify({ tokens: [t2] }) }),
    ]);
    for (const api of replicas) {
      await within(1500, async () => (await api.get("/meshes", bearer(t1!))).status === 401);
      await within(1500, async () => (await api.get("/meshes", bearer(t2!))).status === 401);
    }
  });

  it("sees a key rotated and deleted on one replica on the others within a second", async () => {
    const [a, b] = replicas as [TestApi, TestApi];
    const old = (await a.request("POST", "/tokens/user", { body: '{"name":"alice","validFor":"1h"}' })).text;
    expect((await b.get("/meshes", bearer(old))).status).toBe(200);
    const { kid } = (await a.request("POST", "/tokens/user/signing-keys")).json;
    const fresh = (await a.request("POST", "/tokens/user", { body: '{"name":"alice","validFor":"1h"}' })).text;
    expect((await b.get("/meshes", bearer(fresh))).status).toBe(200); // an unknown kid re-reads the store
    expect((await a.request("DELETE", `/tokens/user/signing-keys/${Number(kid) - 1}`)).status).toBe(200);
    expect(await within(1500, async () => (await b.get("/meshes", bearer(old))).status === 401)).toBeLessThan(1500);
  });
});
