import { randomUUID } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { loadServerConfig } from "@kuma-ts/model";
import { afterEach, describe, expect, it } from "vitest";
import { startServer, type RunningServer } from "./server/start-server.js";
import { bearer } from "./test-support/auth.js";

const LOOPBACK = {
  KUMA_API_SERVER_PORT: "0",
  KUMA_API_SERVER_INTERFACE: "127.0.0.1",
  KUMA_DIAGNOSTICS_PORT: "0",
  KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
  KUMA_GUI_SERVER_PORT: "0",
};

describe("static public keys (validator.publicKeys)", () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("verify tokens issued offline, pinned to the key's algorithm; useSecrets=false refuses the store's keys", async () => {
    const offline = await generateKeyPair("EdDSA", { extractable: true });
    const pem = await exportSPKI(offline.publicKey);
    const yaml = [
      "apiServer:",
      "  authn:",
      "    tokens:",
      "      validator:",
      "        useSecrets: false",
      "        publicKeys:",
      "          - kid: offline",
      "            key: |",
      ...pem.trim().split("\n").map((line) => `              ${line}`),
      "",
    ].join("\n");
    server = await startServer({ config: loadServerConfig({ file: { name: "kuma-cp.yaml", text: yaml }, env: LOOPBACK }) });
    const sign = (kid: string, alg = "EdDSA") =>
      new SignJWT({ Name: "ops", Groups: ["mesh-system:admin"] })
        .setProtectedHeader({ alg, kid, typ: "JWT" })
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime("1h")
        .sign(offline.privateKey);
    const get = (token: string) => fetch(`${server!.apiUrl}/global-secrets/admin-user-token`, { headers: bearer(token) });
    // An admin by a token signed offline: admin resources are open to it.
    expect((await get(await sign("offline"))).status).toBe(200);
    expect((await get(await sign("other"))).status).toBe(401);
    // A token of the store's own key is refused: useSecrets is false.
    const issued = await fetch(`${server.apiUrl}/tokens/user`, { method: "POST", body: '{"name":"a","validFor":"1h"}' });
    expect((await get(await issued.text())).status).toBe(401);
  });
});
