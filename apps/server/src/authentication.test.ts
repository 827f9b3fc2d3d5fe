import { randomUUID } from "node:crypto";
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startApi, type TestApi } from "./test-support/api.js";
import { b64url, bearer, REMOTE, storedSigningKey } from "./test-support/auth.js";
import { storeBackends } from "./test-support/store-backends.js";

const UNAUTHENTICATED = { title: "Invalid authentication data", details: "Unauthenticated" };
const ANONYMOUS = "mesh-system:anonymous/mesh-system:unauthenticated";

describe.each(storeBackends())("user tokens on the $name store", (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());
  const apis: TestApi[] = [];
  afterEach(async () => {
    await Promise.all(apis.splice(0).map((api) => api.close()));
  });
  const start = async (env: Record<string, string> = {}): Promise<TestApi> => {
    const api = await startApi(backend, { env });
    apis.push(api);
    return api;
  };
  const issue = async (api: TestApi, body: unknown): Promise<string> => {
    const answer = await api.request("POST", "/tokens/user", { body: JSON.stringify(body) });
    expect(answer.status, answer.text).toBe(200);
    return answer.text;
  };
  const expect401 = (answer: { status: number; json: unknown; headers: Headers }): void => {
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual(UNAUTHENTICATED);
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="kuma"');
    expect(answer.headers.get("cache-control")).toBe("no-store");
  };

  it("keeps 0.4 behaviour by default: local and anonymous callers read and write, /config included", async () => {
    const api = await start();
    expect((await api.get("/config")).status).toBe(200);
    expect((await api.get("/config", REMOTE)).status).toBe(200);
    expect((await api.put("/meshes/demo", { type: "Mesh", name: "demo" }, REMOTE)).status).toBe(
      201,
    );
    expect((await api.delete("/meshes/demo", REMOTE)).status).toBe(200);
  });

  it("bootstraps an admin token that the local admin can read out and that works remotely", async () => {
    const api = await start();
    const secret = await api.get("/global-secrets/admin-user-token");
    expect(secret.status).toBe(200);
    expect(secret.headers.get("content-type")).toMatch(/^application\/json/);
    expect(Object.keys(secret.json)).toEqual(["type", "name", "data"]);
    expect(secret.json).toMatchObject({ type: "GlobalSecret", name: "admin-user-token" });
    const token = Buffer.from(secret.json.data, "base64").toString("utf8");
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toEqual({ alg: "EdDSA", kid: "1", typ: "JWT" });
    expect(payload).toMatchObject({ Name: "mesh-system:admin", Groups: ["mesh-system:admin"] });
    expect(payload.exp - payload.iat).toBeGreaterThan(9 * 365 * 24 * 3600);
    expect((await api.get("/global-secrets/admin-user-token", bearer(token))).status).toBe(200);
    const denied = await api.get("/global-secrets/admin-user-token", REMOTE);
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      title: "Access Denied",
      details: `user "${ANONYMOUS}" cannot access admin resources`,
    });
    expect(denied.headers.get("cache-control")).toBe("no-store");
  });

  it("issues a token as text/plain with Kuma's claims, and authenticates its bearer", async () => {
    const api = await start();
    const answer = await api.request("POST", "/tokens/user", {
      body: JSON.stringify({ name: "alice", groups: ["team-a"], validFor: "1h" }),
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/plain/);
    const token = answer.text;
    const [header, payload] = token
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toEqual({ alg: "EdDSA", kid: "1", typ: "JWT" });
    expect(payload.Name).toBe("alice");
    expect(payload.Groups).toEqual(["team-a"]);
    expect(payload.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(payload.iat).toBe(payload.nbf);
    expect(Math.abs(payload.iat - (Date.now() / 1000 - 5))).toBeLessThan(3);
    expect(payload.exp - payload.iat).toBe(3605);
    expect((await api.get("/meshes", bearer(token))).status).toBe(200);
    // Only admins may issue: alice may not, nor an anonymous caller.
    const byAlice = await api.request("POST", "/tokens/user", {
      headers: bearer(token),
      body: JSON.stringify({ name: "bob", validFor: "1h" }),
    });
    expect(byAlice.status).toBe(403);
    expect(byAlice.json).toEqual({
      title: "Access Denied",
      details: 'user "alice/team-a,mesh-system:authenticated" cannot generate user tokens',
    });
    const byAnonymous = await api.request("POST", "/tokens/user", { headers: REMOTE, body: "{}" });
    expect(byAnonymous.json.details).toBe(`user "${ANONYMOUS}" cannot generate user tokens`);
  });

  it("issues and requires the configured iss with tokens.issuer, and neither without it", async () => {
    const api = await start({ KUMA_API_SERVER_AUTHN_TOKENS_ISSUER: "kuma-ts" });
    const token = await issue(api, { name: "alice", groups: ["team-a"], validFor: "1h" });
    const payload = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(payload.iss).toBe("kuma-ts");
    expect((await api.get("/meshes", bearer(token))).status).toBe(200);
    const { privateKey } = await storedSigningKey(api.store);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      Name: "alice",
      Groups: [],
      jti: randomUUID(),
      iat: now - 5,
      nbf: now - 5,
      exp: now + 3600,
    };
    const sign = (extra: object) =>
      new SignJWT({ ...claims, ...extra })
        .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
        .sign(privateKey);
    expect401(await api.get("/meshes", bearer(await sign({}))));
    expect401(await api.get("/meshes", bearer(await sign({ iss: "someone-else" }))));
    expect((await api.get("/meshes", bearer(await sign({ iss: "kuma-ts" })))).status).toBe(200);
    const plain = await start();
    const kumaLike = await issue(plain, { name: "bob", validFor: "1h" });
    expect(
      JSON.parse(Buffer.from(kumaLike.split(".")[1]!, "base64url").toString()),
    ).not.toHaveProperty("iss");
  });

  it("validates token requests, collecting every cause", async () => {
    const api = await start({ KUMA_API_SERVER_AUTHN_TOKENS_MAX_VALID_FOR: "24h" });
    const post = (body: string) => api.request("POST", "/tokens/user", { body });
    const invalid = (causes: unknown) => ({
      title: "Invalid request",
      details: "Resource is not valid",
      causes,
    });
    expect((await post("{}")).json).toEqual(
      invalid([
        { field: "name", message: "cannot be empty" },
        { field: "validFor", message: "cannot be empty" },
      ]),
    );
    expect((await post('{"name":"a","validFor":"abc"}')).json).toEqual(
      invalid([{ field: "validFor", message: 'is invalid: time: invalid duration "abc"' }]),
    );
    expect((await post('{"name":"a","validFor":"1"}')).json).toEqual(
      invalid([{ field: "validFor", message: 'is invalid: time: invalid duration "1"' }]),
    );
    expect((await post('{"name":"a","validFor":"0s"}')).json).toEqual(
      invalid([{ field: "validFor", message: "cannot be empty or nil" }]),
    );
    expect((await post('{"name":"a","validFor":"25h"}')).json).toEqual(
      invalid([{ field: "validFor", message: "must not exceed 24h0m0s" }]),
    );
    for (const duration of ["300ms", "1.5h", "2h45m", "1h0m0.5s", "100us", "100µs"]) {
      expect((await post(JSON.stringify({ name: "a", validFor: duration }))).status, duration).toBe(
        200,
      );
    }
    for (const body of ["not json", "[]", "null", '"x"']) {
      const answer = await post(body);
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({
        title: "Invalid request",
        details: "Could not parse the request body",
      });
    }
  });

  it("refuses to issue when the issuer is disabled, and issues in read-only mode", async () => {
    const disabled = await start({ KUMA_API_SERVER_AUTHN_TOKENS_ENABLE_ISSUER: "false" });
    const answer = await disabled.request("POST", "/tokens/user", {
      body: '{"name":"a","validFor":"1h"}',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({
      title: "Could not issue a token",
      details: "issuing tokens using the control plane is disabled.",
    });
    const readOnly = await start({ KUMA_API_SERVER_READ_ONLY: "true" });
    expect(
      (await readOnly.request("POST", "/tokens/user", { body: '{"name":"a","validFor":"1h"}' }))
        .status,
    ).toBe(200);
    expect((await readOnly.put("/meshes/x", { type: "Mesh", name: "x" })).status).toBe(405);
  });

  it("answers 401 with the exact body to forged, expired, unknown-key and malformed tokens", async () => {
    const api = await start();
    const { privateKey, publicKey } = await storedSigningKey(api.store);
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      Name: "mallory",
      Groups: ["mesh-system:admin"],
      jti: randomUUID(),
      iat: now - 5,
      nbf: now - 5,
      exp: now + 3600,
    };
    const none = `${b64url({ alg: "none", kid: "1", typ: "JWT" })}.${b64url(claims)}.`;
    const publicPem = publicKey.export({ type: "spki", format: "pem" }) as string;
    const hs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "HS256", kid: "1", typ: "JWT" })
      .sign(new TextEncoder().encode(publicPem));
    const stranger = await generateKeyPair("EdDSA");
    const unknownKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "99", typ: "JWT" })
      .sign(stranger.privateKey);
    const wrongKey = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
      .sign(stranger.privateKey);
    const expired = await new SignJWT({ ...claims, exp: now - 1 })
      .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
      .sign(privateKey);
    const noKid = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", typ: "JWT" })
      .sign(privateKey);
    const numericKid = `${b64url({ alg: "EdDSA", kid: 1, typ: "JWT" })}.${wrongKey.split(".")[1]}.${wrongKey.split(".")[2]}`;
    const noJti = await new SignJWT({ ...claims, jti: undefined })
      .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
      .sign(privateKey);
    const noName = await new SignJWT({ ...claims, Name: "" })
      .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
      .sign(privateKey);
    const rsa = await generateKeyPair("RS256");
    const rs256 = await new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "1", typ: "JWT" })
      .sign(rsa.privateKey);
    const genuine = await new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "1", typ: "JWT" })
      .sign(privateKey);
    for (const [what, token] of Object.entries({
      none,
      hs256,
      unknownKid,
      wrongKey,
      expired,
      noKid,
      numericKid,
      noJti,
      noName,
      rs256,
      garbage: "not-a-jwt",
      empty: "",
    })) {
      const answer = await api.get("/meshes", bearer(token));
      expect(answer.status, what).toBe(401);
      expect401(answer);
    }
    // The same claims signed with the stored key are fine: the refusals above are about the forgeries.
    expect((await api.get("/meshes", bearer(genuine))).status).toBe(200);
  });

  it("reads the scheme case-insensitively, ignores other schemes, and ignores tokens of the local admin", async () => {
    const api = await start();
    const token = await issue(api, { name: "alice", validFor: "1h" });
    expect((await api.get("/meshes", { ...REMOTE, Authorization: `bearer ${token}` })).status).toBe(
      200,
    );
    expect401(await api.get("/meshes", { ...REMOTE, Authorization: "BEARER garbage" }));
    expect(
      (await api.get("/meshes", { ...REMOTE, Authorization: "Basic YWxpY2U6c2VjcmV0" })).status,
    ).toBe(200);
    // From localhost the caller is admin already: a bad token is not even looked at.
    expect(
      (await api.get("/global-secrets/admin-user-token", { Authorization: "Bearer garbage" }))
        .status,
    ).toBe(200);
  });

  it("revokes tokens by id and by token, idempotently", async () => {
    const api = await start();
    const first = await issue(api, { name: "alice", validFor: "1h" });
    const second = await issue(api, { name: "bob", validFor: "1h" });
    const firstId = JSON.parse(Buffer.from(first.split(".")[1]!, "base64url").toString()).jti;
    const secondId = JSON.parse(Buffer.from(second.split(".")[1]!, "base64url").toString()).jti;
    const byId = await api.request("POST", "/tokens/user/revocations", {
      body: JSON.stringify({ ids: [firstId] }),
    });
    expect(byId.status).toBe(200);
    expect(byId.json).toEqual({ revoked: [firstId] });
    const byToken = await api.request("POST", "/tokens/user/revocations", {
      body: JSON.stringify({ tokens: [second, first] }),
    });
    expect(byToken.json).toEqual({ revoked: [secondId, firstId] });
    expect401(await api.get("/meshes", bearer(first)));
    expect401(await api.get("/meshes", bearer(second)));
    const stored = await api.store.globalSecrets.get("user-token-revocations");
    expect(Buffer.from(stored!.data, "base64").toString().split(",").sort()).toEqual(
      [firstId, secondId].sort(),
    );
    const denied = await api.request("POST", "/tokens/user/revocations", {
      headers: REMOTE,
      body: JSON.stringify({ ids: [firstId] }),
    });
    expect(denied.status).toBe(403);
    const bad = await api.request("POST", "/tokens/user/revocations", { body: '{"ids":["a,b"]}' });
    expect(bad.status).toBe(400);
  });

  it("rotates signing keys: new tokens use the new key, old ones work until their key is deleted", async () => {
    const api = await start();
    const old = await issue(api, { name: "alice", validFor: "1h" });
    const rotated = await api.request("POST", "/tokens/user/signing-keys");
    expect(rotated.status).toBe(201);
    expect(rotated.json).toEqual({ kid: "2" });
    const fresh = await issue(api, { name: "alice", validFor: "1h" });
    expect(JSON.parse(Buffer.from(fresh.split(".")[0]!, "base64url").toString()).kid).toBe("2");
    expect((await api.get("/meshes", bearer(old))).status).toBe(200);
    expect((await api.request("DELETE", "/tokens/user/signing-keys/1")).status).toBe(200);
    expect401(await api.get("/meshes", bearer(old)));
    expect((await api.get("/meshes", bearer(fresh))).status).toBe(200);
    expect((await api.request("DELETE", "/tokens/user/signing-keys/7")).status).toBe(404);
    const last = await api.request("DELETE", "/tokens/user/signing-keys/2");
    expect(last.status).toBe(409);
    expect(last.json).toEqual({ title: "Conflict", details: "cannot delete the last signing key" });
    expect(
      (await api.request("POST", "/tokens/user/signing-keys", { headers: REMOTE })).status,
    ).toBe(403);
    expect(
      (await api.request("DELETE", "/tokens/user/signing-keys/2", { headers: REMOTE })).status,
    ).toBe(403);
    expect(JSON.stringify((await api.get("/config")).json)).not.toContain("PRIVATE KEY");
  });

  it("signs with RS256 when configured, and the verifier stays pinned to the key's algorithm", async () => {
    const api = await start({ KUMA_API_SERVER_AUTHN_TOKENS_SIGNING_ALGORITHM: "RS256" });
    const token = await issue(api, { name: "alice", validFor: "1h" });
    expect(JSON.parse(Buffer.from(token.split(".")[0]!, "base64url").toString())).toEqual({
      alg: "RS256",
      kid: "1",
      typ: "JWT",
    });
    expect((await api.get("/meshes", bearer(token))).status).toBe(200);
    const { publicKey } = await storedSigningKey(api.store);
    const hs256 = await new SignJWT({ Name: "m", Groups: [], jti: randomUUID() })
      .setProtectedHeader({ alg: "HS256", kid: "1", typ: "JWT" })
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode(publicKey.export({ type: "spki", format: "pem" }) as string));
    expect401(await api.get("/meshes", bearer(hs256)));
  });

  it("does not authenticate before the route matched: 404 and 405 come first", async () => {
    const api = await start();
    expect((await api.get("/no-such-path", bearer("garbage"))).status).toBe(404);
    expect((await api.request("PATCH", "/meshes", { headers: bearer("garbage") })).status).toBe(
      405,
    );
  });
});
