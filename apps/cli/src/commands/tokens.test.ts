import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Fetch } from "@kuma-ts/client";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kumactl, scratchDir } from "../test-support/kumactl.js";

/** kumactl as seen through a proxy: never the local admin, so its token is what counts. */
const remoteFetch: Fetch = (input, init) =>
  fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), "X-Forwarded-For": "203.0.113.5" } });

describe("kumactl with user tokens", () => {
  let cp: TestControlPlane;
  let scratch: Awaited<ReturnType<typeof scratchDir>>;
  let configPath: string;
  let adminToken: string;
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
    scratch = await scratchDir();
    configPath = path.join(scratch.dir, "config");
    const secret = (await (await fetch(`${cp.url}/global-secrets/admin-user-token`)).json()) as { data: string };
    adminToken = Buffer.from(secret.data, "base64").toString();
  });
  afterAll(async () => {
    await cp.close();
    await scratch.cleanup();
  });
  const run = (args: string[], env: Record<string, string> = {}) =>
    kumactl(args, { configPath, fetch: remoteFetch, env });

  it("adds a control plane with a token, keeps it in the config (redacted in view), and uses it", async () => {
    const added = await run(["config", "control-planes", "add", "--name", "cp", "--address", cp.url, "--auth-type", "tokens", "--auth-conf", `token=${adminToken}`]);
    expect(added.code, added.stderr).toBe(0);
    const file = await readFile(configPath, "utf8");
    expect(file).toContain("authType: tokens");
    expect(file).toContain(`token: ${adminToken}`);
    const view = await run(["config", "view"]);
    expect(view.stderr).not.toContain(adminToken);
    expect(view.stderr).toMatch(/token: "?'?\*{5}/);
    // The admin token may write.
    expect((await run(["delete", "traffic-permission", "nope"])).stderr).toContain("there is no TrafficPermission");
  });

  it("refuses --auth-type tokens without a token", async () => {
    const answer = await run(["config", "control-planes", "add", "--name", "x", "--address", cp.url, "--auth-type", "tokens", "--overwrite"]);
    expect(answer.code).toBe(1);
    expect(answer.stderr).toContain("provide token=YOUR_TOKEN");
  });

  it("generates and revokes user tokens; KUMACTL_TOKEN overrides the configured one", async () => {
    const generated = await run(["generate", "user-token", "--name", "alice", "--group", "dev", "--group", "ops", "--valid-for", "1h"]);
    expect(generated.code, generated.stderr).toBe(0);
    const token = generated.stdout.trim();
    const claims = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString());
    expect(claims).toMatchObject({ Name: "alice", Groups: ["dev", "ops"] });
    const asAlice = { KUMACTL_TOKEN: token };
    expect((await run(["get", "meshes"], asAlice)).code).toBe(0);
    const write = await run(["generate", "user-token", "--name", "bob", "--valid-for", "1h"], asAlice);
    expect(write.code).toBe(1);
    expect(write.stderr).toContain("cannot generate user tokens");
    const revoked = await run(["revoke", "user-token", "--token", token]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stderr).toContain(`revoked 1 token(s): ${claims.jti}`);
    const after = await run(["get", "meshes"], asAlice);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain("Unauthenticated");
    expect(after.stderr).not.toContain(token);
    expect((await run(["revoke", "user-token"])).stderr).toContain("provide at least one --id or --token");
    expect((await run(["generate", "user-token", "--name", "x"])).stderr).toContain('required flag(s) "valid-for" not set');
  });
});
