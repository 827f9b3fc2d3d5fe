import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "./server/start-server.js";
import { testConfig } from "./test-support/api.js";
import { REMOTE } from "./test-support/auth.js";

const FIELDS = [
  "ts", "requestId", "user", "groups", "authMethod", "tokenId", "sourceIp", "method", "path",
  "verb", "type", "mesh", "name", "status", "decision", "reason", "durationMs",
];

describe("the audit log", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "kuma-audit-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("has one line per write and per refused request, in the documented fields, and never a token", async () => {
    const path = join(dir, "audit.log");
    const logged: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const config = testConfig({
      KUMA_API_SERVER_AUDIT_PATH: path,
      KUMA_ACCESS_STATIC_RESOURCES_RULES: JSON.stringify([{ groups: ["mesh-system:authenticated"], verbs: ["read"], meshes: ["*"], types: ["*"] }]),
    });
    const server = await startServer({ config, logger });
    const url = server.apiUrl;
    const call = (method: string, p: string, headers: Record<string, string> = {}, body?: string) =>
      fetch(url + p, { method, headers: { "Content-Type": "application/json", ...headers }, body });
    const tokens: string[] = [];
    const issued = await call("POST", "/tokens/user", {}, JSON.stringify({ name: "alice", groups: ["dev"], validFor: "1h" }));
    const token = await issued.text();
    tokens.push(token);
    const secret = (await (await call("GET", "/global-secrets/admin-user-token")).json()) as { data: string };
    const admin = Buffer.from(secret.data, "base64").toString();
    tokens.push(admin);
    await call("GET", "/meshes", { ...REMOTE, Authorization: `Bearer ${token}` }); // an allowed read: not logged
    await call("PUT", "/meshes/audited", { ...REMOTE, Authorization: `Bearer ${admin}` }, '{"type":"Mesh","name":"audited"}');
    await call("PUT", "/meshes/denied", { ...REMOTE, Authorization: `Bearer ${token}` }, '{"type":"Mesh","name":"denied","secret":"hunter2"}');
    const forged = `${token.slice(0, -4)}AAAA`;
    tokens.push(forged);
    await call("GET", "/meshes", { ...REMOTE, Authorization: `Bearer ${forged}` });
    await call("GET", "/meshes/default", REMOTE);
    await server.close();

    const text = readFileSync(path, "utf8");
    for (const secret of [...tokens, "Bearer", "hunter2", "eyJ"]) expect(text).not.toContain(secret);
    for (const secret of [...tokens, "eyJ"]) expect(logged.join("")).not.toContain(secret);
    const lines = text.trim().split("\n").map((line) => JSON.parse(line));
    expect(lines.map((l) => `${l.method} ${l.path} ${l.status}`)).toEqual([
      "POST /tokens/user 200",
      "PUT /meshes/audited 201",
      "PUT /meshes/denied 403",
      "GET /meshes 401",
      "GET /meshes/default 403",
    ]);
    for (const line of lines) expect(Object.keys(line).slice(0, FIELDS.length)).toEqual(FIELDS);
    const [issue, write, forbidden, unauthenticated, anonymous] = lines;
    expect(issue).toMatchObject({ user: "mesh-system:admin", authMethod: "localhost", decision: "allow", issued: { name: "alice", groups: ["dev"], validFor: "1h" } });
    expect(write).toMatchObject({ user: "mesh-system:admin", authMethod: "token", verb: "create", type: "Mesh", mesh: "audited", name: "audited", decision: "allow", reason: null });
    expect(write.tokenId).toMatch(/^[0-9a-f-]{36}$/);
    expect(write.sourceIp).toMatch(/127\.0\.0\.1/);
    expect(forbidden).toMatchObject({
      user: "alice",
      groups: ["dev", "mesh-system:authenticated"],
      decision: "deny",
      reason: 'user "alice/dev,mesh-system:authenticated" cannot create the resource of type "Mesh" in mesh "denied"',
    });
    expect(unauthenticated).toMatchObject({ user: "mesh-system:anonymous", authMethod: "anonymous", decision: "deny", reason: "bad signature" });
    expect(anonymous).toMatchObject({ verb: "get", type: "Mesh", mesh: "default", decision: "deny" });
    expect(new Date(write.ts).toISOString()).toBe(write.ts);
    // The 401's cause goes to the server log too, without the token.
    expect(logged.some((line) => line.includes('"msg":"authentication rejected"') && line.includes("bad signature"))).toBe(true);
  });

  it("goes to the structured logger with logger=audit when no path is set", async () => {
    const logged: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const server = await startServer({ config: testConfig(), logger });
    await fetch(`${server.apiUrl}/meshes/x`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"type":"Mesh","name":"x"}' });
    await server.close();
    const audit = logged.map((line) => JSON.parse(line)).filter((line) => line.logger === "audit");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ method: "PUT", path: "/meshes/x", status: 201, decision: "allow" });
  });

  it("is silent when disabled", async () => {
    const logged: string[] = [];
    const logger = pino({ level: "info" }, new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }));
    const server = await startServer({ config: testConfig({ KUMA_API_SERVER_AUDIT_ENABLED: "false" }), logger });
    await fetch(`${server.apiUrl}/meshes/x`, { method: "PUT", headers: { "Content-Type": "application/json" }, body: '{"type":"Mesh","name":"x"}' });
    await server.close();
    expect(logged.filter((line) => line.includes('"logger":"audit"'))).toEqual([]);
  });
});
