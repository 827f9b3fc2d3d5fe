import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { MeshType } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "./client.js";
import { ApiError } from "./errors.js";

/** A fetch that looks proxied: the server then never treats it as the local admin. */
const remoteFetch: typeof fetch = (input, init) =>
  fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "X-Forwarded-For": "203.0.113.9" } });

describe("the client with user tokens", () => {
  let cp: TestControlPlane;
  beforeAll(async () => {
    cp = await startControlPlane({
      configure: (config) => ({
        ...config,
        access: {
          ...config.access,
          static: {
            ...config.access.static,
            resources: { rules: [{ groups: ["mesh-system:authenticated"], verbs: ["read"], meshes: ["*"], types: ["*"] }] },
          },
        },
      }),
    });
  });
  afterAll(() => cp.close());

  it("issues, uses, revokes tokens and rotates keys", async () => {
    const local = createClient({ baseUrl: cp.url });
    const admin = await local.adminUserToken();
    expect(admin.split(".")).toHaveLength(3);
    const token = await local.issueUserToken({ name: "alice", groups: ["dev"], validFor: "1h" });
    const alice = createClient({ baseUrl: cp.url, fetch: remoteFetch, auth: { type: "tokens", token } });
    expect((await alice.resources(MeshType).list()).total).toBe(1);
    const anonymous = createClient({ baseUrl: cp.url, fetch: remoteFetch });
    const refused = await anonymous.resources(MeshType).get({ name: "default" }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(403);
    const asAdmin = createClient({ baseUrl: cp.url, fetch: remoteFetch, auth: { type: "tokens", token: admin } });
    expect(await asAdmin.createSigningKey()).toBe("2");
    await asAdmin.deleteSigningKey("2");
    const jti = JSON.parse(atob(token.split(".")[1]!.replace(/-/g, "+").replace(/_/g, "/"))).jti;
    expect(await asAdmin.revokeUserTokens({ tokens: [token] })).toEqual([jti]);
    const revoked = await alice.resources(MeshType).list().catch((error: unknown) => error);
    expect((revoked as ApiError).status).toBe(401);
  });

  it("refuses an auth option without a token", () => {
    expect(() => createClient({ baseUrl: "http://x", auth: { type: "tokens", token: "" } })).toThrow(TypeError);
  });
});
