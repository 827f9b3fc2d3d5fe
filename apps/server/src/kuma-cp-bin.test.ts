/**
 * The real `kuma-cp` bin in a child process. turbo builds the workspace
 * dependencies before tests (`^build`), but not this package itself, so the
 * bin is compiled (tsc's `dist/main.js`) and bundled (`dist/kuma-cp.js`, what
 * `bin` declares) here first: the test always runs what the sources say.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { openRaw } from "./test-support/raw-connection.js";

const require = createRequire(import.meta.url);
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));
const MESH = '{"type":"Mesh","name":"in-flight"}';

/** The environment of the child: the parent's, without any KUMA_ variable, plus `env`. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("KUMA_")));
  return {
    ...base,
    KUMA_API_SERVER_PORT: "0",
    KUMA_API_SERVER_INTERFACE: "127.0.0.1",
    KUMA_DIAGNOSTICS_PORT: "0",
    KUMA_DIAGNOSTICS_INTERFACE: "127.0.0.1",
    KUMA_GUI_SERVER_PORT: "0",
    ...env,
  };
}

interface Child {
  readonly process: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  readonly exited: Promise<number | null>;
}

function runBin(env: Record<string, string>, script = "dist/main.js", args: readonly string[] = []): Child {
  const child = spawn(process.execPath, [script, "run", ...args], { cwd: PACKAGE_DIR, env: childEnv(env) });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** The URLs of a started child, from its "kuma-cp started" line. */
async function urlsOf(child: Child): Promise<{ apiUrl: string; diagnosticsUrl: string }> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    for (const line of child.stdout().split("\n")) {
      if (line.includes('"kuma-cp started"')) return JSON.parse(line) as { apiUrl: string; diagnosticsUrl: string };
    }
    if (child.process.exitCode !== null || Date.now() > deadline) {
      throw new Error(`kuma-cp did not start: ${child.stderr()}${child.stdout()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A port nothing listens on (just freed). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const apiUrlOf = async (child: Child): Promise<string> => (await urlsOf(child)).apiUrl;

describe("the kuma-cp bin", () => {
  beforeAll(async () => {
    for (const dependency of ["@kuma-ts/model", "@kuma-ts/store"]) {
      try {
        require.resolve(dependency);
      } catch (error) {
        throw new Error(`${dependency} is not built: run \`pnpm build\` (turbo builds it before \`pnpm test\`)`, { cause: error });
      }
    }
    await promisify(execFile)(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
      cwd: PACKAGE_DIR,
    });
    await promisify(execFile)(process.execPath, ["scripts/bundle.mjs"], { cwd: PACKAGE_DIR });
    // The GUI's build (turbo builds apps/gui before this package's tests), embedded as `pnpm build` does.
    await promisify(execFile)(process.execPath, ["scripts/embed-gui.mjs"], { cwd: PACKAGE_DIR });
  }, 120_000);

  it("bundled, serves the embedded GUI on KUMA_GUI_SERVER_PORT, its /api proxied to its own API", async () => {
    const port = await freePort();
    const child = runBin({ KUMA_GUI_SERVER_PORT: String(port) }, "dist/kuma-cp.js");
    try {
      const { guiUrl } = (await urlsOf(child)) as { guiUrl?: string };
      expect(guiUrl).toBe(`http://127.0.0.1:${port}`);
      const index = await fetch(`${guiUrl}/meshes/default/dataplanes`);
      expect(index.status).toBe(200);
      const html = await index.text();
      expect(html).toContain('<div id="app">');
      const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
      expect((await fetch(`${guiUrl}${script}`)).headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(((await (await fetch(`${guiUrl}/api/`)).json()) as { tagline: string }).tagline).toBe("Kuma");
      child.process.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    } finally {
      child.process.kill("SIGKILL");
    }
  }, 60_000);

  it("serves the index, and on SIGTERM lets the in-flight request finish, then exits 0", async () => {
    const child = runBin({});
    try {
      const apiUrl = await apiUrlOf(child);
      const index = (await (await fetch(`${apiUrl}/`)).json()) as { tagline: string };
      expect(index.tagline).toBe("Kuma");

      const inFlight = await openRaw(apiUrl);
      await inFlight.write(
        `PUT /meshes/in-flight HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: ${MESH.length}\r\n\r\n${MESH.slice(0, 5)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      child.process.kill("SIGTERM");
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(child.process.exitCode).toBeNull();
      await inFlight.write(MESH.slice(5));
      await inFlight.waitFor(/HTTP\/1\.1 201/);
      expect(await child.exited).toBe(0);
      expect(child.stdout()).toContain('"msg":"kuma-cp stopped"');
    } finally {
      child.process.kill("SIGKILL");
    }
  }, 60_000);

  it("bundled, reads a YAML configuration file with its own default mesh and serves /metrics (the lazily loaded chunks load)", async () => {
    const dir = await mkdtemp(join(tmpdir(), "kuma-cp-bin-"));
    const configFile = join(dir, "kuma-cp.yaml");
    await writeFile(
      configFile,
      "defaults:\n  mesh: |\n    logging:\n      backends:\n      - name: file\n        file:\n          path: /tmp/access.log\n",
    );
    const child = runBin({}, "dist/kuma-cp.js", ["--config-file", configFile]);
    try {
      const { apiUrl, diagnosticsUrl } = await urlsOf(child);
      const mesh = (await (await fetch(`${apiUrl}/meshes/default`)).json()) as { logging?: unknown };
      expect(mesh.logging).toEqual({ backends: [{ name: "file", file: { path: "/tmp/access.log" } }] });
      const metrics = await fetch(`${diagnosticsUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(metrics.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await metrics.text();
      expect(text).toContain('kuma_cp_http_requests_total{route="/meshes/{name}",method="GET",status="200"} 1');
      expect(text).toContain("kuma_cp_store_connected 1");
      child.process.kill("SIGTERM");
      expect(await child.exited).toBe(0);
    } finally {
      child.process.kill("SIGKILL");
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it("bundled, logs an error under its own class name, not a minified one (an unreachable Redis)", async () => {
    const child = runBin(
      {
        KUMA_STORE_TYPE: "redis",
        KUMA_STORE_REDIS_URL: "redis://127.0.0.1:1/0",
        KUMA_STORE_REDIS_CONNECT_TIMEOUT: "200ms",
        KUMA_STORE_REDIS_COMMAND_TIMEOUT: "200ms",
      },
      "dist/kuma-cp.js",
    );
    try {
      const deadline = Date.now() + 20_000;
      let logged: { err: { type: string; message: string } } | undefined;
      while (!logged && Date.now() < deadline) {
        const line = child.stdout().split("\n").find((candidate) => candidate.includes('"err":'));
        if (line) logged = JSON.parse(line) as typeof logged;
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(logged?.err.type).toBe("StoreUnavailableError");
      expect(logged?.err.message).toContain("ECONNREFUSED");
    } finally {
      child.process.kill("SIGKILL");
    }
  }, 30_000);

  it("bundled, exits 1 naming a malformed default mesh with the YAML parser's message", async () => {
    const child = runBin({ KUMA_DEFAULTS_MESH: "mtls: [" }, "dist/kuma-cp.js");
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toContain(
      "kuma-cp: invalid value of defaults.mesh (KUMA_DEFAULTS_MESH): Flow sequence in block collection must be sufficiently indented",
    );
  }, 30_000);

  it("exits 1 with a message naming a malformed variable", async () => {
    const child = runBin({ KUMA_API_SERVER_READ_ONLY: "maybe" });
    expect(await child.exited).toBe(1);
    expect(child.stderr()).toContain("KUMA_API_SERVER_READ_ONLY");
  }, 30_000);
});
