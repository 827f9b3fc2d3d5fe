import { describe, expect, it } from "vitest";
import type { ResourceStore } from "../contract.js";
import {
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  VersionConflictError,
} from "../errors.js";
import { useStoreBackends } from "../test-support/store-backends.js";

const { backends } = useStoreBackends("gs");

describe.each(backends)("global secrets on the $name store", (backend) => {
  it("creates, reads, lists, updates by version and deletes a secret", async () => {
    const { store } = backend.open();
    const secrets = store.globalSecrets;
    expect(await secrets.get("user-token-signing-key-1")).toBeUndefined();
    const created = await secrets.create("user-token-signing-key-1", "YWJj");
    expect(await secrets.get("user-token-signing-key-1")).toEqual(created);
    await secrets.create("admin-user-token", "eHl6");
    expect((await secrets.list()).map((s) => s.name)).toEqual([
      "admin-user-token",
      "user-token-signing-key-1",
    ]);
    const updated = await secrets.update("user-token-signing-key-1", "ZGVm", created.version);
    expect(updated.version).not.toBe(created.version);
    expect((await secrets.get("user-token-signing-key-1"))?.data).toBe("ZGVm");
    await expect(
      secrets.update("user-token-signing-key-1", "Z2hp", created.version),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await expect(
      secrets.delete("user-token-signing-key-1", created.version),
    ).rejects.toBeInstanceOf(VersionConflictError);
    await secrets.delete("user-token-signing-key-1", updated.version);
    expect(await secrets.get("user-token-signing-key-1")).toBeUndefined();
    await expect(secrets.delete("user-token-signing-key-1")).rejects.toBeInstanceOf(
      ResourceNotFoundError,
    );
    await expect(secrets.update("nope", "YQ==", "1")).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it("refuses a second create of the same name", async () => {
    const { store } = backend.open();
    await store.globalSecrets.create("admin-user-token", "YQ==");
    await expect(store.globalSecrets.create("admin-user-token", "Yg==")).rejects.toBeInstanceOf(
      ResourceAlreadyExistsError,
    );
    expect((await store.globalSecrets.get("admin-user-token"))?.data).toBe("YQ==");
  });

  it("lets exactly one of many replicas creating the same secret at once win", async () => {
    const { peer } = backend.open();
    const replicas = Array.from({ length: 8 }, () => peer());
    const outcomes = await Promise.allSettled(
      replicas.map((replica, i) =>
        replica.globalSecrets.create("user-token-signing-key-1", btoa(`key-${i}`)),
      ),
    );
    const winners = outcomes.filter((o) => o.status === "fulfilled");
    expect(winners).toHaveLength(1);
    for (const o of outcomes)
      if (o.status === "rejected") expect(o.reason).toBeInstanceOf(ResourceAlreadyExistsError);
    const stored = await replicas[3]!.globalSecrets.get("user-token-signing-key-1");
    expect(stored?.data).toBe((winners[0] as PromiseFulfilledResult<{ data: string }>).value.data);
  });

  it("keeps every concurrent compare-and-set append", async () => {
    const { store, peer } = backend.open();
    await store.globalSecrets.create("user-token-revocations", "");
    const append = async (replica: ResourceStore, id: string): Promise<void> => {
      for (;;) {
        const current = (await replica.globalSecrets.get("user-token-revocations"))!;
        const ids = atob(current.data).split(",").filter(Boolean);
        try {
          await replica.globalSecrets.update(
            "user-token-revocations",
            btoa([...ids, id].join(",")),
            current.version,
          );
          return;
        } catch (error) {
          if (!(error instanceof VersionConflictError)) throw error;
        }
      }
    };
    const ids = Array.from({ length: 12 }, (_, i) => `id-${i}`);
    await Promise.all(ids.map((id, i) => append(i % 2 ? peer() : store, id)));
    const stored = atob((await store.globalSecrets.get("user-token-revocations"))!.data).split(",");
    expect(stored.sort()).toEqual([...ids].sort());
  });

  it("refuses names and data no secret can have", async () => {
    const { store } = backend.open();
    await expect(store.globalSecrets.create("Bad Name", "YQ==")).rejects.toBeInstanceOf(TypeError);
    await expect(store.globalSecrets.create("good", "not base64!")).rejects.toBeInstanceOf(
      TypeError,
    );
  });
});
