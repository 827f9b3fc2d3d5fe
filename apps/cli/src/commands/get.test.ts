import { lookup } from "node:dns";
import { readFile } from "node:fs/promises";
import { createClient, type ClientOptions, type KumaClient } from "@kuma-ts/client";
import {
  DataplaneType,
  MeshType,
  TrafficPermissionType,
  parseResource,
  resourceTypeByName,
  type Resource,
} from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startControlPlane,
  type TestControlPlane,
  startScriptedServer,
  unusedUrl,
} from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor } from "../test-support/kumactl.js";

const EXAMPLES = new URL("../../../../examples/", import.meta.url);

async function example(file: string): Promise<Resource> {
  const text = await readFile(new URL(file, EXAMPLES), "utf8");
  return parseResource(
    resourceTypeByName((JSON.parse(text) as { type: string }).type)!,
    text,
  ) as Resource;
}

let controlPlane: TestControlPlane;
let client: KumaClient;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const run = (args: string[]) => kumactl(args, { configPath: config });
const ok = (stdout: string) => ({ stdout, stderr: "", code: 0 });
const failed = (stderr: string) => ({ stdout: "", stderr, code: 1 });

beforeAll(async () => {
  controlPlane = await startControlPlane();
  client = createClient({ baseUrl: controlPlane.url });
  scratch = await scratchDir();
  config = await writeConfigFor(scratch.dir, controlPlane.url);

  await client
    .resources(MeshType)
    .put({ type: "Mesh", name: "mesh1", mtls: { enabled: true, ca: { builtin: {} } } });
  await client.resources(MeshType).put({
    type: "Mesh",
    name: "mesh2",
    mtls: { ca: { provided: {} } },
    metrics: { prometheus: {} },
  });
  const dataplanes = client.resources(DataplaneType);
  await dataplanes.put({
    type: "Dataplane",
    mesh: "default",
    name: "example",
    networking: {
      address: "10.0.0.1",
      inbound: [{ port: 8080, tags: { service: "web", version: "v2" } }],
    },
  });
  await dataplanes.put({
    type: "Dataplane",
    mesh: "default",
    name: "experiment",
    networking: {
      address: "10.0.0.2",
      inbound: [
        { port: 8080, tags: { service: "mobile", version: "v1" } },
        { port: 8081, tags: { service: "metrics", version: "v1" } },
      ],
    },
  });
  for (const file of [
    "mesh-1.json",
    "health-check-web-to-backend.json",
    "proxytemplate-pt-1.json",
    "traffic-log-tl-1.json",
    "traffic-permission-tp-1.json",
    "traffic-route-web-to-backend.json",
    "traffic-trace-tt-1.json",
  ]) {
    const resource = await example(file);
    await client.resources(resourceTypeByName(resource.type)!).put(resource as never);
  }
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

describe("kumactl get <plural>", () => {
  it("prints the header line alone for every empty collection", async () => {
    const expected: Record<string, string> = {
      dataplanes: "MESH   NAME   TAGS\n",
      healthchecks: "MESH   NAME\n",
      proxytemplates: "MESH   NAME\n",
      "traffic-permissions": "MESH   NAME\n",
      "traffic-routes": "MESH   NAME\n",
      "traffic-logs": "MESH   NAME\n",
      "traffic-traces": "MESH   NAME\n",
    };
    for (const [plural, table] of Object.entries(expected)) {
      expect(await run(["get", plural, "--mesh", "empty"]), plural).toEqual(ok(table));
    }
    const bare = await startControlPlane({ withoutDefaultMesh: true });
    try {
      const bareConfig = await writeConfigFor(scratch.dir, bare.url);
      expect(await kumactl(["get", "meshes"], { configPath: bareConfig })).toEqual(
        ok("NAME   mTLS   CA   METRICS\n"),
      );
      expect(await kumactl(["get", "meshes", "-o", "json"], { configPath: bareConfig })).toEqual(
        ok('{\n  "total": 0,\n  "items": [],\n  "next": null\n}\n'),
      );
      expect(await kumactl(["get", "meshes", "-o", "yaml"], { configPath: bareConfig })).toEqual(
        ok("items: []\nnext: null\ntotal: 0\n"),
      );
    } finally {
      await bare.close();
      await writeConfigFor(scratch.dir, controlPlane.url);
    }
  });

  it("prints meshes with their mTLS, CA and metrics columns", async () => {
    expect(await run(["get", "meshes"])).toEqual(
      ok(
        "NAME      mTLS   CA         METRICS\n" +
          "default   off    builtin    off\n" +
          "mesh-1    on     builtin    off\n" +
          "mesh1     on     builtin    off\n" +
          "mesh2     off    provided   prometheus\n",
      ),
    );
  });

  it("prints dataplanes with their merged tags", async () => {
    expect(await run(["get", "dataplanes"])).toEqual(
      ok(
        "MESH      NAME         TAGS\n" +
          "default   example      service=web version=v2\n" +
          "default   experiment   service=metrics,mobile version=v1\n",
      ),
    );
  });

  it("prints the policies of the mesh given with --mesh, -m or --mesh=", async () => {
    const tables: Record<string, string> = {
      healthchecks: "MESH     NAME\nmesh-1   web-to-backend\n",
      proxytemplates: "MESH     NAME\nmesh-1   pt-1\n",
      "traffic-logs": "MESH     NAME\nmesh-1   tl-1\n",
      "traffic-permissions": "MESH     NAME\nmesh-1   tp-1\n",
      "traffic-routes": "MESH     NAME\nmesh-1   web-to-backend\n",
      "traffic-traces": "MESH     NAME\nmesh-1   tt-1\n",
    };
    for (const [plural, table] of Object.entries(tables)) {
      expect(await run(["get", plural, "--mesh", "mesh-1"]), plural).toEqual(ok(table));
    }
    expect(await run(["--mesh", "mesh-1", "get", "traffic-logs"])).toEqual(
      ok(tables["traffic-logs"]!),
    );
    expect(await run(["get", "-m", "mesh-1", "traffic-logs"])).toEqual(ok(tables["traffic-logs"]!));
    expect(await run(["get", "traffic-logs", "--mesh=mesh-1"])).toEqual(
      ok(tables["traffic-logs"]!),
    );
  });

  it("prints the list body as JSON or YAML with -o, -oFORMAT or --output=FORMAT", async () => {
    const tp = await client.resources(TrafficPermissionType).get({ mesh: "mesh-1", name: "tp-1" });
    const json = `{
  "total": 1,
  "items": [
    {
      "type": "TrafficPermission",
      "mesh": "mesh-1",
      "name": "tp-1",
      "creationTime": "${tp.creationTime}",
      "modificationTime": "${tp.modificationTime}",
      "sources": [
        {
          "match": {
            "service": "backend"
          }
        }
      ],
      "destinations": [
        {
          "match": {
            "service": "redis"
          }
        }
      ]
    }
  ],
  "next": null
}
`;
    const yaml = `items:
- creationTime: "${tp.creationTime}"
  destinations:
  - match:
      service: redis
  mesh: mesh-1
  modificationTime: "${tp.modificationTime}"
  name: tp-1
  sources:
  - match:
      service: backend
  type: TrafficPermission
next: null
total: 1
`;
    for (const flag of [["-o", "json"], ["-ojson"], ["--output=json"], ["--output", "json"]]) {
      expect(
        await run(["get", "traffic-permissions", "--mesh", "mesh-1", ...flag]),
        flag.join(" "),
      ).toEqual(ok(json));
    }
    expect(await run(["get", "traffic-permissions", "-oyaml", "--mesh", "mesh-1"])).toEqual(
      ok(yaml),
    );
    expect(await run(["get", "traffic-permissions", "-o", "table", "--mesh", "mesh-1"])).toEqual(
      ok("MESH     NAME\nmesh-1   tp-1\n"),
    );
  });

  it("pages with --size and tells on stderr how to get the next page", async () => {
    const first = await client.resources(MeshType).list({ size: 2 });
    const second = await client.resources(MeshType).list({ size: 2, offset: first.nextOffset });
    expect(await run(["get", "meshes", "--size", "2"])).toEqual({
      stdout:
        "NAME      mTLS   CA        METRICS\ndefault   off    builtin   off\nmesh-1    on     builtin   off\n",
      stderr: `Rerun command with --offset=${first.nextOffset} argument to retrieve more resources\n`,
      code: 0,
    });
    expect(await run(["get", "meshes", "--size", "2", "--offset", first.nextOffset!])).toEqual(
      ok(
        "NAME    mTLS   CA         METRICS\nmesh1   on     builtin    off\nmesh2   off    provided   prometheus\n",
      ),
    );
    expect(second.nextOffset).toBeUndefined();
    const json = await run(["get", "meshes", "--size", "1", "-o", "json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({
      total: 4,
      next: expect.stringContaining("offset="),
    });
    expect(json.stderr).toMatch(
      /^Rerun command with --offset=\S+ argument to retrieve more resources\n$/,
    );
  });

  it("prints the server's error and causes for a bad page size or offset", async () => {
    expect(await run(["get", "meshes", "--size", "5000"])).toEqual(
      failed("Error: Could not retrieve resources (Bad Request)\n* size: invalid page size\n"),
    );
    expect(await run(["get", "meshes", "--offset", "garbage"])).toEqual(
      failed("Error: Could not retrieve resources (Bad Request)\n* offset: invalid offset\n"),
    );
  });

  it("rejects an unknown output format", async () => {
    expect(await run(["get", "meshes", "-o", "xml"])).toEqual(
      failed('Error: unknown output format "xml"\n'),
    );
    expect(await run(["get", "mesh", "default", "-o", "wide"])).toEqual(
      failed('Error: unknown output format "wide"\n'),
    );
  });
});

describe("kumactl get <singular> NAME", () => {
  it("prints one resource as a one-row table", async () => {
    expect(await run(["get", "mesh", "mesh2"])).toEqual(
      ok("NAME    mTLS   CA         METRICS\nmesh2   off    provided   prometheus\n"),
    );
    expect(await run(["get", "dataplane", "experiment"])).toEqual(
      ok("MESH      NAME         TAGS\ndefault   experiment   service=metrics,mobile version=v1\n"),
    );
    expect(await run(["get", "traffic-route", "web-to-backend", "--mesh", "mesh-1"])).toEqual(
      ok("MESH     NAME\nmesh-1   web-to-backend\n"),
    );
    const names: Record<string, string> = {
      healthcheck: "web-to-backend",
      proxytemplate: "pt-1",
      "traffic-log": "tl-1",
      "traffic-permission": "tp-1",
      "traffic-trace": "tt-1",
    };
    for (const [singular, name] of Object.entries(names)) {
      expect(await run(["get", singular, name, "-m", "mesh-1"]), singular).toEqual(
        ok(`MESH     NAME\nmesh-1   ${name}\n`),
      );
    }
  });

  it("prints the resource itself as JSON or YAML", async () => {
    const mesh = await client.resources(MeshType).get({ name: "mesh2" });
    expect(await run(["get", "mesh", "mesh2", "-o", "json"])).toEqual(
      ok(`{
  "type": "Mesh",
  "name": "mesh2",
  "creationTime": "${mesh.creationTime}",
  "modificationTime": "${mesh.modificationTime}",
  "mtls": {
    "ca": {
      "provided": {}
    }
  },
  "metrics": {
    "prometheus": {
      "port": 5670,
      "path": "/metrics"
    }
  }
}
`),
    );
    expect(await run(["get", "mesh", "mesh2", "-o", "yaml"])).toEqual(
      ok(`creationTime: "${mesh.creationTime}"
metrics:
  prometheus:
    path: /metrics
    port: 5670
modificationTime: "${mesh.modificationTime}"
mtls:
  ca:
    provided: {}
name: mesh2
type: Mesh
`),
    );
  });

  it("says there is no such resource", async () => {
    expect(await run(["get", "mesh", "nope"])).toEqual(
      failed('Error: there is no Mesh with name "nope"\n'),
    );
    expect(await run(["get", "traffic-trace", "tt-1"])).toEqual(
      failed('Error: there is no TrafficTrace with name "tt-1"\n'),
    );
    expect(await run(["get", "dataplane", "example", "--mesh", "mesh-1"])).toEqual(
      failed('Error: there is no Dataplane with name "example"\n'),
    );
  });
});

describe("failures that are not Kuma errors", () => {
  it("keeps the transport error's context and names the control plane that did not answer", async () => {
    const url = await unusedUrl();
    const dead = await writeConfigFor(scratch.dir, url);
    const { port } = new URL(url);
    const hint = `The Control Plane "test" at ${url} did not answer. Check its address with \`kumactl config control-planes list\`.\n`;
    expect(await kumactl(["get", "meshes"], { configPath: dead })).toEqual(
      failed(
        `Error: failed to list Meshes: GET ${url}/meshes: connect ECONNREFUSED 127.0.0.1:${port}\n${hint}`,
      ),
    );
    expect(await kumactl(["get", "mesh", "x"], { configPath: dead })).toEqual(
      failed(
        `Error: failed to get Mesh "x": GET ${url}/meshes/x: connect ECONNREFUSED 127.0.0.1:${port}\n${hint}`,
      ),
    );
    expect(await kumactl(["delete", "mesh", "x"], { configPath: dead })).toEqual(
      failed(
        `Error: failed to delete Mesh "x": DELETE ${url}/meshes/x: connect ECONNREFUSED 127.0.0.1:${port}\n${hint}`,
      ),
    );
    expect(await kumactl(["inspect", "dataplanes"], { configPath: dead })).toEqual(
      failed(
        `Error: failed to list Dataplanes: GET ${url}/meshes/default/dataplanes+insights: connect ECONNREFUSED 127.0.0.1:${port}\n${hint}`,
      ),
    );
    expect(await kumactl(["apply"], { configPath: dead, stdin: "type: Mesh\nname: x\n" })).toEqual(
      failed(
        `Error: failed to apply Mesh "x": PUT ${url}/meshes/x: connect ECONNREFUSED 127.0.0.1:${port}\n${hint}`,
      ),
    );
    await writeConfigFor(scratch.dir, controlPlane.url);
  });

  it("names the control plane whose host does not resolve", async () => {
    const url = "http://kuma-cp.invalid:5681";
    const unresolvable = await writeConfigFor(scratch.dir, url);
    // The resolver's own words (ENOTFOUND, or EAI_AGAIN without a DNS server) end the first line.
    const reason = await new Promise<string>((resolve) =>
      lookup("kuma-cp.invalid", (error) => resolve(error?.message ?? "resolved")),
    );
    expect(await kumactl(["get", "meshes"], { configPath: unresolvable })).toEqual(
      failed(
        `Error: failed to list Meshes: GET ${url}/meshes: ${reason}\n` +
          `The Control Plane "test" at ${url} did not answer. Check its address with \`kumactl config control-planes list\`.\n`,
      ),
    );
    await writeConfigFor(scratch.dir, controlPlane.url);
  });

  it("names the control plane that does not answer in time", async () => {
    const silent = await startScriptedServer(() => ({ hang: true }));
    try {
      const config = await writeConfigFor(scratch.dir, silent.url);
      const impatient = (options: ClientOptions) => createClient({ ...options, timeoutMs: 100 });
      expect(
        await kumactl(["get", "meshes"], { configPath: config, createClient: impatient }),
      ).toEqual(
        failed(
          `Error: failed to list Meshes: GET ${silent.url}/meshes: timed out after 100 ms\n` +
            `The Control Plane "test" at ${silent.url} did not answer. Check its address with \`kumactl config control-planes list\`.\n`,
        ),
      );
    } finally {
      await silent.close();
      await writeConfigFor(scratch.dir, controlPlane.url);
    }
  });

  it("prints the status and raw body of an error that is not a Kuma error, and rejects malformed answers", async () => {
    const server = await startScriptedServer((request) =>
      request.url === "/meshes"
        ? { status: 500, body: "upstream exploded" }
        : {
            status: 200,
            body: JSON.stringify({
              total: 1,
              items: [{ type: "TrafficLog", name: "x" }],
              next: null,
            }),
          },
    );
    try {
      const odd = await writeConfigFor(scratch.dir, server.url);
      expect(await kumactl(["get", "meshes"], { configPath: odd })).toEqual(
        failed("Error: failed to list Meshes: (500): upstream exploded\n"),
      );
      expect(await kumactl(["get", "traffic-logs"], { configPath: odd })).toEqual(
        failed(
          `Error: failed to list TrafficLogs: invalid response to GET ${server.url}/meshes/default/traffic-logs: items[0].mesh: cannot be empty\n`,
        ),
      );
    } finally {
      await server.close();
      await writeConfigFor(scratch.dir, controlPlane.url);
    }
  });
});
