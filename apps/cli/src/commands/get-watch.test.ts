/**
 * `kumactl get <plural> -w` and `kumactl inspect dataplanes -w` against the
 * real control plane: the snapshot, then a row (or a JSON line, or a YAML
 * document) per write made through the API as it happens, and Ctrl-C. The
 * kumactl process itself (signals) is at the end.
 */
import { execFile, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient, type Fetch, type KumaClient } from "@kuma-ts/client";
import {
  DataplaneInsightType,
  DataplaneType,
  MeshType,
  TrafficRouteType,
  toWire,
  type Dataplane,
  type TrafficRoute,
} from "@kuma-ts/model";
import {
  startControlPlane,
  startCuttingProxy,
  startScriptedServer,
  type ScriptedAnswer,
  type TestControlPlane,
} from "@kuma-ts/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderYaml } from "../output/printers.js";
import {
  kumactl,
  scratchDir,
  startKumactl,
  writeConfigFor,
  type RunningKumactl,
} from "../test-support/kumactl.js";

const golden = (file: string): string =>
  readFileSync(new URL(`golden/${file}`, import.meta.url), "utf8");

const NOW = "2019-10-24T16:05:57.9Z";
/** Generous: the machine is shared; every wait is for an event, never for time. */
const TIMEOUT = 60_000;

let controlPlane: TestControlPlane;
let client: KumaClient;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const watch = (args: string[]) =>
  startKumactl(args, { configPath: config, env: { KUMACTL_NOW: NOW } });
const lines = (text: string) => text.split("\n").filter(Boolean);
/** Waits until stdout has `count` lines. */
const lineCount = (run: RunningKumactl, count: number) =>
  run.waitFor((stdout) => lines(stdout).length >= count);
/** Ctrl-C, then what the run printed in all. */
async function interrupted(run: RunningKumactl) {
  run.interrupt();
  return run.done;
}

function dataplane(mesh: string, name: string, tags: Record<string, string>): Dataplane {
  return {
    type: "Dataplane",
    mesh,
    name,
    networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags }] },
  };
}

function trafficRoute(name: string): TrafficRoute {
  return {
    type: "TrafficRoute",
    mesh: "watched",
    name,
    sources: [{ match: { service: "web" } }],
    destinations: [{ match: { service: "backend" } }],
    conf: [{ weight: 100, destination: { service: "backend" } }],
  };
}

beforeAll(async () => {
  controlPlane = await startControlPlane();
  client = createClient({ baseUrl: controlPlane.url });
  scratch = await scratchDir();
  config = await writeConfigFor(scratch.dir, controlPlane.url);
  await client.resources(MeshType).put({ type: "Mesh", name: "watched" });
  await client.resources(DataplaneType).put(dataplane("watched", "web-1", { service: "web" }));
  await client
    .resources(DataplaneType)
    .put(dataplane("watched", "backend-1", { service: "backend", version: "v1" }));
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

describe("kumactl get <plural> -w", () => {
  it(
    "prints the snapshot with an EVENT column, then a row per write; Ctrl-C ends it with status 0",
    async () => {
      const dataplanes = client.resources(DataplaneType);
      const run = watch(["get", "dataplanes", "-w", "--mesh", "watched"]);
      await lineCount(run, 3);
      await dataplanes.put(
        dataplane("watched", "a-database-with-a-long-name", { service: "db", version: "v1" }),
      );
      await lineCount(run, 4);
      await dataplanes.put(dataplane("watched", "web-1", { service: "web", version: "v2" }));
      await lineCount(run, 5);
      await dataplanes.delete({ mesh: "watched", name: "backend-1" });
      await lineCount(run, 6);
      expect(await interrupted(run)).toEqual({
        stdout: golden("get-dataplanes-watch.txt"),
        stderr: "",
        code: 0,
      });
      await dataplanes.put(
        dataplane("watched", "backend-1", { service: "backend", version: "v1" }),
      );
      await dataplanes.delete({ mesh: "watched", name: "a-database-with-a-long-name" });
      await dataplanes.put(dataplane("watched", "web-1", { service: "web" }));
    },
    TIMEOUT,
  );

  it(
    "watches a mesh that does not exist yet: an empty table until it has items",
    async () => {
      const run = watch(["get", "dataplanes", "-w", "--mesh", "later", "--watch"]);
      await lineCount(run, 1);
      await client.resources(MeshType).put({ type: "Mesh", name: "later" });
      await client.resources(DataplaneType).put(dataplane("later", "dp-1", { service: "web" }));
      await lineCount(run, 2);
      expect(await interrupted(run)).toEqual({
        stdout: "EVENT      MESH   NAME   TAGS\n" + "ADDED      later   dp-1   service=web\n",
        stderr: "",
        code: 0,
      });
    },
    TIMEOUT,
  );

  it(
    "prints one JSON event per line with -o json, the objects as `get -o json` prints them",
    async () => {
      const meshes = client.resources(MeshType);
      const before = await meshes.list();
      const run = watch(["get", "meshes", "-w", "-o", "json"]);
      await lineCount(run, before.items.length);
      await meshes.put({ type: "Mesh", name: "json-1" });
      await lineCount(run, before.items.length + 1);
      const created = await meshes.get({ name: "json-1" });
      await meshes.put({
        type: "Mesh",
        name: "json-1",
        mtls: { enabled: true, ca: { builtin: {} } },
      });
      await lineCount(run, before.items.length + 2);
      const updated = await meshes.get({ name: "json-1" });
      await meshes.delete({ name: "json-1" });
      await lineCount(run, before.items.length + 3);
      const result = await interrupted(run);
      expect(result).toMatchObject({ stderr: "", code: 0 });
      expect(lines(result.stdout).map((line) => JSON.parse(line) as unknown)).toEqual([
        ...before.items.map((mesh) => ({ type: "ADDED", object: toWire(mesh) })),
        { type: "ADDED", object: toWire(created) },
        { type: "MODIFIED", object: toWire(updated) },
        { type: "DELETED", object: toWire(updated) },
      ]);
    },
    TIMEOUT,
  );

  it(
    "prints one YAML document per event with -o yaml",
    async () => {
      const routes = client.resources(TrafficRouteType);
      const run = watch(["get", "traffic-routes", "-w", "-oyaml", "--mesh", "watched"]);
      const route = trafficRoute("tr-1");
      // ADDED whether it comes in the snapshot or after: nothing shows when the watch is open.
      await routes.put(route);
      await run.waitFor((stdout) => stdout.includes("tr-1"));
      const created = await routes.get({ mesh: "watched", name: "tr-1" });
      await routes.delete({ mesh: "watched", name: "tr-1" });
      await run.waitFor((stdout) => stdout.includes("type: DELETED"));
      const result = await interrupted(run);
      const added = await renderYaml({ type: "ADDED", object: toWire(created) });
      const deleted = await renderYaml({ type: "DELETED", object: toWire(created) });
      expect(result).toEqual({ stdout: `${added}---\n${deleted}`, stderr: "", code: 0 });
    },
    TIMEOUT,
  );

  it("refuses --size and --offset with -w, with the usage", async () => {
    const sized = await kumactl(["get", "meshes", "-w", "--size", "2"], { configPath: config });
    expect(sized.code).toBe(1);
    expect(sized.stdout).toBe("");
    expect(sized.stderr).toMatch(
      /^Error: --size cannot be used with --watch: a watch shows every item\nUsage:\n {2}kumactl get meshes \[flags\]\n/,
    );
    expect(sized.stderr).toContain("\n  -w, --watch ");
    const offset = await kumactl(["get", "dataplanes", "--offset=x", "--watch"], {
      configPath: config,
    });
    expect(offset.code).toBe(1);
    expect(offset.stderr).toMatch(
      /^Error: --offset cannot be used with --watch: a watch shows every item\nUsage:\n/,
    );
  });

  it("prints the server's error and exits 1 when the watch is refused at open", async () => {
    const refusing = await startScriptedServer(() => ({
      status: 400,
      body: JSON.stringify({
        title: "Bad Request",
        details: "invalid parameters",
        causes: [{ field: "since", message: "invalid resume token" }],
      }),
    }));
    try {
      const dir = path.join(scratch.dir, "refusing");
      await mkdir(dir);
      const result = await kumactl(["get", "meshes", "-w"], {
        configPath: await writeConfigFor(dir, refusing.url),
      });
      expect(result).toEqual({
        stdout: "",
        stderr: "Error: Bad Request (invalid parameters)\n* since: invalid resume token\n",
        code: 1,
      });
    } finally {
      await refusing.close();
    }
    // A token the server does not know: 401 through a proxy (not the local admin).
    const remoteFetch: Fetch = (input, init) =>
      fetch(input, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), "X-Forwarded-For": "203.0.113.5" },
      });
    const unknownToken = await kumactl(["inspect", "dataplanes", "-w"], {
      configPath: config,
      fetch: remoteFetch,
      env: { KUMACTL_TOKEN: "not-a-token" },
    });
    expect(unknownToken.code).toBe(1);
    expect(unknownToken.stdout).toBe("");
    expect(unknownToken.stderr).toBe("Error: Invalid authentication data (Unauthenticated)\n");
  });
});

describe("kumactl get <plural> -w across dropped connections", () => {
  it(
    "resumes silently: a change made while cut off comes once, nothing on stderr",
    async () => {
      const proxy = await startCuttingProxy(controlPlane.url);
      try {
        const dir = path.join(scratch.dir, "proxied");
        await mkdir(dir);
        const run = startKumactl(["get", "traffic-routes", "-w", "--mesh", "watched"], {
          configPath: await writeConfigFor(dir, proxy.url),
        });
        await lineCount(run, 1);
        proxy.cut();
        await client.resources(TrafficRouteType).put(trafficRoute("while-cut"));
        await lineCount(run, 2);
        proxy.cut();
        await client.resources(TrafficRouteType).delete({ mesh: "watched", name: "while-cut" });
        await lineCount(run, 3);
        expect(await interrupted(run)).toEqual({
          stdout:
            "EVENT      MESH   NAME\n" +
            "ADDED      watched   while-cut\n" +
            "DELETED    watched   while-cut\n",
          stderr: "",
          code: 0,
        });
      } finally {
        await proxy.close();
      }
    },
    TIMEOUT,
  );

  it(
    "after a reset prints only what differs from what it printed",
    async () => {
      const mesh = (name: string, version: string, mtls = false) =>
        `event: snapshot\ndata: ${JSON.stringify({
          type: "Mesh",
          name,
          version,
          resource: { type: "Mesh", name, mtls: { enabled: mtls, ca: { builtin: {} } } },
        })}\n\n`;
      const stream = (body: string): ScriptedAnswer => ({
        status: 200,
        body: `retry: 10\n\n${body}`,
        headers: { "Content-Type": "text/event-stream" },
      });
      const streams = [
        // The first stream ends after the snapshot: the client resumes with t1...
        stream(
          `${mesh("a", "1")}${mesh("b", "1")}${mesh("c", "1")}id: t1\nevent: synced\ndata: {"total":3}\n\n`,
        ),
        // ...which the server no longer has: everything again.
        stream(
          `event: reset\ndata: {"reason":"too old"}\n\n${mesh("a", "1")}${mesh("c", "2", true)}${mesh("d", "1")}id: t2\nevent: synced\ndata: {"total":3}\n\n`,
        ),
      ];
      const server = await startScriptedServer(() => streams.shift() ?? { hang: true });
      try {
        const dir = path.join(scratch.dir, "resetting");
        await mkdir(dir);
        const run = startKumactl(["get", "meshes", "-w"], {
          configPath: await writeConfigFor(dir, server.url),
        });
        await lineCount(run, 7);
        expect(await interrupted(run)).toEqual({
          stdout:
            "EVENT      NAME   mTLS   CA        METRICS\n" +
            "ADDED      a      off    builtin   off\n" +
            "ADDED      b      off    builtin   off\n" +
            "ADDED      c      off    builtin   off\n" +
            "MODIFIED   c      on     builtin   off\n" +
            "ADDED      d      off    builtin   off\n" +
            "DELETED    b      off    builtin   off\n",
          stderr: "",
          code: 0,
        });
        expect(server.requests[1]?.headers["last-event-id"]).toBe("t1");
      } finally {
        await server.close();
      }
    },
    TIMEOUT,
  );
});

describe("kumactl inspect dataplanes -w", () => {
  it(
    "prints the overviews matching --tag, then their changes, at the pinned clock",
    async () => {
      const dataplanes = client.resources(DataplaneType);
      const run = watch([
        "inspect",
        "dataplanes",
        "-w",
        "--mesh",
        "watched",
        "--tag",
        "service=web",
      ]);
      await lineCount(run, 2);
      await client.resources(DataplaneInsightType).put({
        type: "DataplaneInsight",
        mesh: "watched",
        name: "web-1",
        subscriptions: [
          {
            connectTime: "2019-10-24T16:05:12Z",
            status: {
              lastUpdateTime: "2019-10-24T16:05:57Z",
              total: { responsesSent: "7", responsesRejected: "1" },
            },
          },
        ],
      });
      await lineCount(run, 3);
      // Starts matching: ADDED; stops matching: DELETED; not matching: nothing.
      await dataplanes.put(dataplane("watched", "backend-1", { service: "web", version: "v1" }));
      await lineCount(run, 4);
      await dataplanes.put(dataplane("watched", "unrelated", { service: "other" }));
      await dataplanes.put(dataplane("watched", "web-1", { service: "api" }));
      await lineCount(run, 5);
      expect(await interrupted(run)).toEqual({
        stdout: golden("inspect-dataplanes-watch.txt"),
        stderr: "",
        code: 0,
      });
      await dataplanes.put(dataplane("watched", "web-1", { service: "web" }));
      await dataplanes.put(
        dataplane("watched", "backend-1", { service: "backend", version: "v1" }),
      );
      await dataplanes.delete({ mesh: "watched", name: "unrelated" });
    },
    TIMEOUT,
  );

  it(
    "prints one JSON event per line with -o json, objects as `inspect dataplanes -o json` prints them",
    async () => {
      const run = watch([
        "inspect",
        "dataplanes",
        "-w",
        "-ojson",
        "--mesh",
        "watched",
        "--tag",
        "version=v1",
      ]);
      await lineCount(run, 1);
      const listed = await kumactl(
        ["inspect", "dataplanes", "-ojson", "--mesh", "watched", "--tag", "version=v1"],
        {
          configPath: config,
        },
      );
      const result = await interrupted(run);
      expect(result).toMatchObject({ stderr: "", code: 0 });
      const { items } = JSON.parse(listed.stdout) as { items: unknown[] };
      expect(items).toHaveLength(1);
      expect(JSON.parse(result.stdout)).toEqual({ type: "ADDED", object: items[0] });
    },
    TIMEOUT,
  );
});

describe("the kumactl process with -w", () => {
  const exec = promisify(execFile);
  const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
  let bundle: string;

  beforeAll(async () => {
    bundle = path.join(scratch.dir, "bundle", "main.js");
    await exec(process.execPath, [
      path.join(PACKAGE_DIR, "scripts", "bundle.mjs"),
      "--outfile",
      bundle,
    ]);
  }, 120_000);

  /** Starts `kumactl get meshes -w`; resolves once it printed the default mesh. */
  async function watchMeshes() {
    const child = spawn(
      process.execPath,
      [bundle, "get", "meshes", "-w", "--config-file", config],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const output = { stdout: "", stderr: "" };
    child.stderr.on("data", (chunk: Buffer) => (output.stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) =>
      child.on("exit", (code) => resolve(code)),
    );
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        output.stdout += chunk.toString();
        if (output.stdout.includes("ADDED      default")) resolve();
      }),
    );
    expect(output.stdout).toMatch(/^EVENT {6}NAME +mTLS +CA +METRICS\n/);
    return { child, output, exited };
  }

  it(
    "ends with status 0 and no stack trace on SIGINT and on SIGTERM",
    async () => {
      for (const signal of ["SIGINT", "SIGTERM"] as const) {
        const { child, output, exited } = await watchMeshes();
        child.kill(signal);
        expect({ signal, code: await exited, stderr: output.stderr }).toEqual({
          signal,
          code: 0,
          stderr: "",
        });
      }
    },
    TIMEOUT,
  );

  it(
    "ends with status 0 when its reader goes away (`| head`) and a change comes",
    async () => {
      const { child, output, exited } = await watchMeshes();
      child.stdout.destroy();
      await client.resources(MeshType).put({ type: "Mesh", name: "unread" });
      expect({ code: await exited, stderr: output.stderr }).toEqual({ code: 0, stderr: "" });
      await client.resources(MeshType).delete({ name: "unread" });
    },
    TIMEOUT,
  );
});
