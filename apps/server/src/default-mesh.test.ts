import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server/start-server.js";
import { readAnswer, startApi, testConfig } from "./test-support/api.js";
import { storeBackends } from "./test-support/store-backends.js";

const withoutTimes = (value: Record<string, unknown>) => {
  const { creationTime: _c, modificationTime: _m, ...rest } = value;
  return rest;
};

describe.each(storeBackends())("the default mesh at start-up ($name store)", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it("is created from the default defaults.mesh", async () => {
    const api = await startApi(backend);
    try {
      const answer = await api.get("/meshes/default");
      expect(answer.status).toBe(200);
      expect(withoutTimes(answer.json)).toEqual({ type: "Mesh", name: "default", mtls: { ca: { builtin: {} } } });
    } finally {
      await api.close();
    }
  });

  it("is created from KUMA_DEFAULTS_MESH, always named default", async () => {
    const yaml = "type: Mesh\nname: ignored\nmtls:\n  enabled: true\n  ca:\n    builtin:\nmetrics:\n  prometheus: {}\n";
    const api = await startApi(backend, { env: { KUMA_DEFAULTS_MESH: yaml } });
    try {
      expect(withoutTimes((await api.get("/meshes/default")).json)).toEqual({
        type: "Mesh",
        name: "default",
        mtls: { ca: { builtin: {} }, enabled: true },
        metrics: { prometheus: { port: 5670, path: "/metrics" } },
      });
      expect((await api.get("/meshes")).json.total).toBe(1);
    } finally {
      await api.close();
    }
  });

  it("is not created with defaults.skipMeshCreation", async () => {
    const api = await startApi(backend, { env: { KUMA_DEFAULTS_SKIP_MESH_CREATION: "true" } });
    try {
      expect((await api.get("/meshes/default")).status).toBe(404);
      expect((await api.get("/meshes")).json).toEqual({ total: 0, items: [], next: null });
    } finally {
      await api.close();
    }
  });

  it("is left alone when it already exists", async () => {
    const store = backend.createStore();
    const first = await startApi(backend, { store });
    try {
      const updated = await first.put("/meshes/default", { type: "Mesh", name: "default", mtls: { enabled: true } });
      expect(updated.status).toBe(200);
      const second = await startApi(backend, { store: backend.peerOf(store) });
      try {
        expect((await second.get("/meshes/default")).json.mtls.enabled).toBe(true);
      } finally {
        await second.close();
        if (second.store !== store) await second.store.close();
      }
    } finally {
      await first.close();
      await store.close();
    }
  });

  it("ends up as exactly one mesh when several replicas start together, without error", async () => {
    const store = backend.createStore();
    const stores = [store, ...Array.from({ length: 5 }, () => backend.peerOf(store))];
    const servers = await Promise.all(stores.map((s) => startServer({ config: testConfig(), store: s })));
    try {
      for (const server of servers) {
        const answer = await readAnswer(await fetch(`${server.apiUrl}/meshes`));
        expect(answer.json.total).toBe(1);
        expect(answer.json.items[0].name).toBe("default");
      }
    } finally {
      await Promise.all(servers.map((server) => server.close()));
      await Promise.all([...new Set(stores)].map((s) => s.close()));
    }
  });
});
