import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { ApiError, createClient, type KumaClient } from "@kuma-ts/client";
import { MeshType, TrafficLogType, TrafficRouteType, TrafficTraceType } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startControlPlane,
  type TestControlPlane,
  startScriptedServer,
  unusedUrl,
} from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor, type RunOptions } from "../test-support/kumactl.js";

let controlPlane: TestControlPlane;
let client: KumaClient;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const run = (args: string[], options: RunOptions = {}) =>
  kumactl(args, { configPath: config, ...options });
const succeeded = { stdout: "", stderr: "", code: 0 };
const failed = (stderr: string) => ({ stdout: "", stderr, code: 1 });

const meshYaml = (name: string) => `type: Mesh\nname: ${name}\nmtls:\n  ca:\n    builtin:\n`;
const traceYaml = (mesh: string, name: string) =>
  `type: TrafficTrace\nmesh: ${mesh}\nname: ${name}\nselectors:\n- match:\n    service: '*'\n`;

async function exists(find: () => Promise<unknown>): Promise<boolean> {
  try {
    await find();
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return false;
    throw error;
  }
}

beforeAll(async () => {
  controlPlane = await startControlPlane();
  client = createClient({ baseUrl: controlPlane.url });
  scratch = await scratchDir();
  config = await writeConfigFor(scratch.dir, controlPlane.url);
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

describe("kumactl apply", () => {
  it("reads stdin when -f is absent or -, and prints nothing on success", async () => {
    expect(await run(["apply"], { stdin: meshYaml("from-stdin") })).toEqual(succeeded);
    expect(await run(["apply", "-f", "-"], { stdin: traceYaml("from-stdin", "tt") })).toEqual(
      succeeded,
    );
    expect(await client.resources(MeshType).get({ name: "from-stdin" })).toMatchObject({
      mtls: { ca: { builtin: {} } },
    });
    expect(
      await client.resources(TrafficTraceType).get({ mesh: "from-stdin", name: "tt" }),
    ).toMatchObject({
      selectors: [{ match: { service: "*" } }],
    });
  });

  it("applies a file holding several documents, in order, and updates what exists", async () => {
    const file = path.join(scratch.dir, "many.yaml");
    await writeFile(
      file,
      `${meshYaml("multi")}---\n${traceYaml("multi", "a")}---\n${traceYaml("multi", "b")}`,
    );
    expect(await run(["apply", "-f", file])).toEqual(succeeded);
    expect(await run(["apply", "--file", file])).toEqual(succeeded);
    const { items } = await client.resources(TrafficTraceType).list({ mesh: "multi" });
    expect(items.map((t) => t.name)).toEqual(["a", "b"]);
  });

  it("applies the YAML and JSON files of a directory in name order", async () => {
    const dir = path.join(scratch.dir, "dir");
    await mkdir(dir);
    await writeFile(path.join(dir, "01-mesh.yaml"), meshYaml("from-dir"));
    await writeFile(
      path.join(dir, "02-log.json"),
      JSON.stringify({
        type: "TrafficLog",
        mesh: "from-dir",
        name: "log",
        sources: [{ match: { service: "*" } }],
        destinations: [{ match: { service: "*" } }],
      }),
    );
    await writeFile(path.join(dir, "03-trace.yml"), traceYaml("from-dir", "trace"));
    await writeFile(path.join(dir, "04-notes.txt"), "not YAML: [");
    expect(await run(["apply", "-f", dir])).toEqual(succeeded);
    expect(
      await client.resources(TrafficLogType).get({ mesh: "from-dir", name: "log" }),
    ).toMatchObject({ name: "log" });
    expect(
      await client.resources(TrafficTraceType).get({ mesh: "from-dir", name: "trace" }),
    ).toMatchObject({ name: "trace" });
  });

  it("replaces {{variables}} from -v flags before parsing; unknown ones become empty", async () => {
    const template = `type: TrafficRoute
mesh: {{mesh}}
name: {{ name }}
sources:
- match:
    service: {{source}}
destinations:
- match:
    service: backend
conf:
- weight: 100
  destination:
    service: backend
    version: "{{version}}"
`;
    await run(["apply"], { stdin: meshYaml("vars") });
    expect(
      await run(
        ["apply", "-v", "mesh=vars", "-v", "name=route", "--var", "source=web,version=v2"],
        { stdin: template },
      ),
    ).toEqual(succeeded);
    expect(
      await client.resources(TrafficRouteType).get({ mesh: "vars", name: "route" }),
    ).toMatchObject({
      sources: [{ match: { service: "web" } }],
      conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
    });
  });

  it("checks every document before sending any, and names the file, document and line of each error", async () => {
    const file = path.join(scratch.dir, "broken.yaml");
    await writeFile(
      file,
      `${meshYaml("never-created")}---
type: TrafficTrace
mesh: never-created
---
type: Dataplane
mesh: never-created
name: dp
networking:
  inbund: []
---
type: Secret
mesh: never-created
name: s
---
name: x
type: TrafficTrace
mesh: ""
`,
    );
    expect(await run(["apply", "-f", file])).toEqual(
      failed(
        `Error: ${file}: document 2 (line 7): YAML contains invalid resource: Name field cannot be empty\n` +
          `${file}: document 3 (line 10): YAML contains invalid resource: networking.inbund: unknown field\n` +
          `${file}: document 4 (line 16): YAML contains invalid resource: invalid type of resource type\n` +
          `${file}: document 5 (line 20): YAML contains invalid resource: Mesh field cannot be empty\n`,
      ),
    );
    expect(await exists(() => client.resources(MeshType).get({ name: "never-created" }))).toBe(
      false,
    );
  });

  it("reports validation errors and broken YAML from stdin", async () => {
    expect(
      await run(["apply"], {
        stdin: "type: Dataplane\nmesh: default\nname: dp\nnetworking:\n  address: 10.0.0.1\n",
      }),
    ).toEqual(
      failed(
        "Error: stdin: document 1 (line 1): YAML contains invalid resource: networking: has to contain at least one inbound interface or gateway\n",
      ),
    );
    const broken = await run(["apply"], { stdin: "type: Mesh\nname: [m\n" });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(
      /^Error: stdin: document 1 \(line 1\): YAML contains invalid resource: .+\n$/,
    );
  });

  it("prints the server's error when a document is refused", async () => {
    expect(await run(["apply"], { stdin: traceYaml("no-such-mesh", "tt") })).toEqual(
      failed(
        "Error: Could not create a resource (Mesh is not found)\n* mesh: mesh of name no-such-mesh is not found\n",
      ),
    );
  });

  it("prints the resolved documents with --dry-run and sends nothing", async () => {
    expect(
      await run(["apply", "--dry-run", "-v", "name=dry"], {
        stdin: `${meshYaml("{{name}}")}---\n${traceYaml("{{name}}", "t")}`,
      }),
    ).toEqual({
      stdout:
        "mtls:\n  ca:\n    builtin: {}\nname: dry\ntype: Mesh\n---\n" +
        "mesh: dry\nname: t\nselectors:\n- match:\n    service: '*'\ntype: TrafficTrace\n".replace(
          "'*'",
          '"*"',
        ),
      stderr: "",
      code: 0,
    });
    expect(await exists(() => client.resources(MeshType).get({ name: "dry" }))).toBe(false);
  });

  it("fetches an http(s) URL and refuses an answer other than 200", async () => {
    const server = await startScriptedServer((request) =>
      request.url === "/mesh.yaml"
        ? { status: 200, body: meshYaml("from-url") }
        : { status: 404, body: "no such file" },
    );
    try {
      expect(await run(["apply", "-f", `${server.url}/mesh.yaml`])).toEqual(succeeded);
      expect(await client.resources(MeshType).get({ name: "from-url" })).toMatchObject({
        name: "from-url",
      });
      expect(await run(["apply", "-f", `${server.url}/missing.yaml`])).toEqual(
        failed(
          `Error: error while retrieving URL ${server.url}/missing.yaml: the server answered 404 Not Found\n`,
        ),
      );
    } finally {
      await server.close();
    }
    const dead = await unusedUrl();
    expect(await run(["apply", "-f", `${dead}/mesh.yaml`])).toEqual(
      failed(
        `Error: error while retrieving URL ${dead}/mesh.yaml: connect ECONNREFUSED 127.0.0.1:${new URL(dead).port}\n`,
      ),
    );
  });

  it("applies back what get -o yaml and -o json print", async () => {
    await run(["apply"], {
      stdin: `${meshYaml("round-trip")}---\n${traceYaml("round-trip", "tt")}`,
    });
    const yaml = await run(["get", "traffic-trace", "tt", "--mesh", "round-trip", "-o", "yaml"]);
    expect(await run(["apply"], { stdin: yaml.stdout })).toEqual(succeeded);
    const json = await run(["get", "mesh", "round-trip", "-o", "json"]);
    expect(await run(["apply"], { stdin: json.stdout })).toEqual(succeeded);
  });

  it("reports a missing file and an input without documents", async () => {
    const missing = path.join(scratch.dir, "missing.yaml");
    expect(await run(["apply", "-f", missing])).toEqual(
      failed(
        `Error: error while reading provided file: open ${missing}: no such file or directory\n`,
      ),
    );
    expect(await run(["apply"], { stdin: "" })).toEqual(
      failed("Error: no resource(s) passed to apply\n"),
    );
    expect(await run(["apply"], { stdin: "---\n# nothing\n---\n" })).toEqual(
      failed("Error: no resource(s) passed to apply\n"),
    );
  });
});
