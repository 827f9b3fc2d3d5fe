import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configLeaves, MeshType } from "@kuma-ts/model";
import { startRedisServer } from "@kuma-ts/redis-harness";
import { createRedisStore } from "@kuma-ts/store";
import { readAnswer } from "./test-support/api.js";
import { LOOPBACK_ENV, runToEnd, startCli } from "./test-support/cli.js";
import { serverVersion } from "./version.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "kuma-cp-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const configFile = async (name: string, text: string) => {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
};
const getJson = async (url: string) => (await readAnswer(await fetch(url))).json;

describe("kuma-cp run", () => {
  it("applies the YAML file over the defaults and the environment over the file", async () => {
    const file = await configFile(
      "precedence.yaml",
      [
        "general:",
        "  advertisedHostname: file-host",
        "bootstrapServer:",
        "  port: 6000",
        "apiServer:",
        "  readOnly: true",
        "adminServer:",
        "  public:",
        "    enabled: true",
        "    port: 5684",
        "",
      ].join("\n"),
    );
    const cli = await startCli(["run", "--config-file", file], {
      KUMA_GENERAL_ADVERTISED_HOSTNAME: "env-host",
      KUMA_API_SERVER_READ_ONLY: "false",
    });
    try {
      const config = await getJson(`${cli.server.apiUrl}/config`);
      expect(config.general.advertisedHostname).toBe("env-host");
      expect(config.bootstrapServer.port).toBe(6000);
      expect(config.apiServer.readOnly).toBe(false);
      expect(config.store.type).toBe("memory");
      expect(await getJson(`${cli.server.apiUrl}/catalog`)).toEqual({
        apis: {
          bootstrap: { url: "http://env-host:6000" },
          dataplaneToken: { localUrl: "http://localhost:5679", publicUrl: "https://env-host:5684" },
          admin: { localUrl: "http://localhost:5679", publicUrl: "https://env-host:5684" },
          monitoringAssignment: { url: "grpc://env-host:5676" },
          openapi: { url: `${cli.server.apiUrl}/openapi.json` },
        },
      });
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it("serves /config compact, sorted at every level, with every secret redacted", async () => {
    const cli = await startCli(["run"], {
      KUMA_STORE_REDIS_PASSWORD: "hunter2",
      KUMA_STORE_REDIS_URL: "redis://admin:pa55word@redis.internal:6380/2",
    });
    try {
      const response = await fetch(`${cli.server.apiUrl}/config`);
      const text = await response.text();
      expect(text).not.toContain("hunter2");
      expect(text).not.toContain("pa55word");
      const config = JSON.parse(text);
      const sortedCompact = (value: unknown): unknown =>
        typeof value === "object" && value !== null && !Array.isArray(value)
          ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortedCompact((value as Record<string, unknown>)[k])]))
          : value;
      expect(text).toBe(JSON.stringify(sortedCompact(config)));
      expect(config.store.redis.password).toBe("*****");
      expect(config.store.postgres.password).toBe("*****");
      expect(config.store.redis.url).toBe("redis://admin:*****@redis.internal:6380/2");
      expect(config.store.redis.commandTimeout).toBe("2s");
      for (const leaf of configLeaves) {
        const value = leaf.path.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], config);
        expect(value, leaf.key).toBeDefined();
        if (leaf.schema.secret === "value") expect(value, leaf.key).toBe("*****");
      }
    } finally {
      await cli.stop();
    }
  });

  it("uses the memory store by default and Redis with KUMA_STORE_TYPE=redis, redacting its password", async () => {
    const redis = await startRedisServer({ args: ["--requirepass", "s3cret-pw"] });
    const url = `redis://:s3cret-pw@127.0.0.1:${redis.port}/0`;
    const cli = await startCli(["run"], { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_URL: url, KUMA_STORE_REDIS_KEY_PREFIX: "cli-test" });
    const peer = createRedisStore({ url, keyPrefix: "cli-test" });
    try {
      const put = await fetch(`${cli.server.apiUrl}/meshes/shared`, {
        method: "PUT",
        headers: { "Content-Type": "application/json" },
        body: '{"type":"Mesh","name":"shared"}',
      });
      expect(put.status).toBe(201);
      expect((await peer.get(MeshType, undefined, "shared"))?.resource.name).toBe("shared");
      expect((await peer.get(MeshType, undefined, "default"))?.resource.name).toBe("default");
      const configText = await (await fetch(`${cli.server.apiUrl}/config`)).text();
      expect(configText).not.toContain("s3cret-pw");
      expect(JSON.parse(configText).store).toMatchObject({ type: "redis", redis: { url: `redis://:*****@127.0.0.1:${redis.port}/0` } });
    } finally {
      await cli.stop();
      await peer.close();
      await redis.stop();
    }
  });

  it("writes JSON log lines with request ids", async () => {
    const cli = await startCli(["run", "--log-level", "info"], { KUMA_API_SERVER_ACCESS_LOG: "true" });
    await fetch(`${cli.server.apiUrl}/meshes`, { headers: { "X-Request-Id": "trace-me" } });
    await cli.stop();
    const lines = cli.stdout().trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(["kuma-cp started", "request", "kuma-cp stopped"]));
    expect(lines.find((l) => l.msg === "request")).toMatchObject({ reqId: "trace-me", method: "GET", route: "/meshes", status: 200 });
  });

  it("rejects every malformed integer, boolean, duration and enum variable, naming it, with status 1", async () => {
    const bad: Record<string, string> = { integer: "12x", boolean: "yes", duration: "5 seconds", enum: "nope" };
    let checked = 0;
    for (const leaf of configLeaves) {
      const value = bad[leaf.kind];
      if (value === undefined) continue;
      const result = await runToEnd(["run"], { ...LOOPBACK_ENV, [leaf.envVar]: value });
      expect(result.status, leaf.envVar).toBe(1);
      expect(result.stderr, leaf.envVar).toContain(leaf.envVar);
      expect(result.stderr, leaf.envVar).toContain(JSON.stringify(value));
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it.each([
    ["KUMA_API_SERVER_PORT", "70000", "KUMA_API_SERVER_PORT"],
    ["KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES", "0", "KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES"],
    ["KUMA_STORE_REDIS_COMMAND_TIMEOUT", "-1s", "KUMA_STORE_REDIS_COMMAND_TIMEOUT"],
    ["KUMA_API_SERVER_CORS_ALLOWED_DOMAINS", "(", "KUMA_API_SERVER_CORS_ALLOWED_DOMAINS"],
    ["KUMA_STORE_REDIS_URL", "http://x", "KUMA_STORE_REDIS_URL"],
    ["KUMA_STORE_REDIS_NODES", "no-port", "KUMA_STORE_REDIS_NODES"],
    ["KUMA_DEFAULTS_MESH", "mtls: 3", "KUMA_DEFAULTS_MESH"],
  ])("rejects %s=%s naming it", async (name, value, named) => {
    const result = await runToEnd(["run"], { ...LOOPBACK_ENV, [name]: value });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^kuma-cp: /);
    expect(result.stderr).toContain(named);
  });

  it("rejects a configuration file with an unknown key, or one that cannot be read", async () => {
    const file = await configFile("typo.yaml", "apiServer:\n  prot: 1\n");
    const typo = await runToEnd(["run", "--config-file", file], LOOPBACK_ENV);
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain('unknown key "apiServer.prot"');
    const missing = await runToEnd(["run", "--config-file", join(dir, "missing.yaml")], LOOPBACK_ENV);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("cannot read the configuration file");
  });

  it("exits 1 when it cannot listen", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runToEnd(["run"], { ...LOOPBACK_ENV, KUMA_API_SERVER_PORT: String(port) });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain("could not start");
      expect(result.stderr).toContain("EADDRINUSE");
    } finally {
      blocker.close();
    }
  });

  it("handles usage: --version, an unknown log level, an unknown command", async () => {
    const version = await runToEnd(["--version"]);
    expect(version).toMatchObject({ status: 0, stdout: `${serverVersion()}\n` });
    expect((await runToEnd(["run", "--log-level", "loud"])).status).toBe(1);
    expect((await runToEnd(["serve"])).status).toBe(1);
  });
});
