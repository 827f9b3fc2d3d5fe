import { ApiError, createClient, type KumaClient } from "@kuma-ts/client";
import { MeshType, TrafficTraceType } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor } from "../test-support/kumactl.js";

let controlPlane: TestControlPlane;
let client: KumaClient;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const run = (args: string[], stdin?: string) =>
  kumactl(args, { configPath: config, ...(stdin !== undefined && { stdin }) });
const deleted = (stderr: string) => ({ stdout: "", stderr, code: 0 });
const failed = (stderr: string) => ({ stdout: "", stderr, code: 1 });

const DELETE_USAGE = `Usage:
  kumactl delete TYPE NAME [flags]

Flags:
  -h, --help   help for delete

Global Flags:
      --config-file string   path to the configuration file to use
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")
`;

const ALL_TYPES = `type: Mesh
name: doomed
---
type: Dataplane
mesh: doomed
name: dp
networking:
  address: 10.0.0.1
  inbound:
  - port: 80
    tags: {service: web}
---
type: HealthCheck
mesh: doomed
name: hc
sources: [{match: {service: web}}]
destinations: [{match: {service: backend}}]
conf: {activeChecks: {interval: 10s, timeout: 2s, unhealthyThreshold: 3, healthyThreshold: 1}}
---
type: ProxyTemplate
mesh: doomed
name: pt
conf: {imports: [default-proxy]}
---
type: TrafficLog
mesh: doomed
name: tl
sources: [{match: {service: '*'}}]
destinations: [{match: {service: '*'}}]
---
type: TrafficPermission
mesh: doomed
name: tp
sources: [{match: {service: '*'}}]
destinations: [{match: {service: '*'}}]
---
type: TrafficRoute
mesh: doomed
name: tr
sources: [{match: {service: '*'}}]
destinations: [{match: {service: '*'}}]
conf: [{weight: 1, destination: {service: backend}}]
---
type: TrafficTrace
mesh: doomed
name: tt
selectors: [{match: {service: '*'}}]
`;

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

describe("kumactl delete", () => {
  it("deletes one resource of every type and says so on stderr", async () => {
    expect((await run(["apply"], ALL_TYPES)).code).toBe(0);
    const expected: [string, string, string][] = [
      ["dataplane", "dp", "Dataplane"],
      ["healthcheck", "hc", "HealthCheck"],
      ["proxytemplate", "pt", "ProxyTemplate"],
      ["traffic-log", "tl", "TrafficLog"],
      ["traffic-permission", "tp", "TrafficPermission"],
      ["traffic-route", "tr", "TrafficRoute"],
      ["traffic-trace", "tt", "TrafficTrace"],
    ];
    for (const [type, name, kind] of expected) {
      expect(await run(["delete", type, name, "--mesh", "doomed"]), type).toEqual(
        deleted(`deleted ${kind} "${name}"\n`),
      );
      expect(await run(["delete", type, name, "--mesh", "doomed"]), type).toEqual(
        failed(`Error: there is no ${kind} with name "${name}"\n`),
      );
    }
    expect(await run(["delete", "mesh", "doomed"])).toEqual(deleted('deleted Mesh "doomed"\n'));
    expect(await run(["delete", "mesh", "doomed"])).toEqual(
      failed('Error: there is no Mesh with name "doomed"\n'),
    );
  });

  it("deletes a mesh with everything in it", async () => {
    await run(
      ["apply"],
      "type: Mesh\nname: cascade\n---\ntype: TrafficTrace\nmesh: cascade\nname: tt\nselectors: [{match: {service: '*'}}]\n",
    );
    expect(await run(["delete", "mesh", "cascade"])).toEqual(deleted('deleted Mesh "cascade"\n'));
    await expect(client.resources(MeshType).get({ name: "cascade" })).rejects.toBeInstanceOf(
      ApiError,
    );
    expect((await client.resources(TrafficTraceType).list({ mesh: "cascade" })).total).toBe(0);
  });

  it("lists the allowed types when the type is unknown", async () => {
    expect(await run(["delete", "meshes", "default"])).toEqual(
      failed(
        "Error: unknown TYPE: meshes. Allowed values: mesh, dataplane, healthcheck, proxytemplate, traffic-log, traffic-permission, traffic-route, traffic-trace\n",
      ),
    );
  });

  it("wants exactly two arguments", async () => {
    for (const args of [[], ["mesh"], ["mesh", "a", "b"]]) {
      expect(await run(["delete", ...args])).toEqual(
        failed(`Error: accepts 2 arg(s), received ${args.length}\n${DELETE_USAGE}\n`),
      );
    }
  });
});
