/**
 * `kumactl inspect dataplane NAME` and `kumactl inspect <policy type> NAME`
 * against the real control plane, with the text pinned by golden files
 * (golden/*.txt): the worked examples' dataplanes and a policy of each type.
 */
import { readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createClient } from "@kuma-ts/client";
import { resourceTypeByName, type Resource } from "@kuma-ts/model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { kumactl, scratchDir, writeConfigFor } from "../test-support/kumactl.js";

const DEMO = new URL("../../../../examples/inspection/demo.json", import.meta.url);
const golden = (file: string): string =>
  readFileSync(new URL(`golden/${file}`, import.meta.url), "utf8");

const ANY = { service: "*" };
const rule = (source: Record<string, string>, destination: Record<string, string>) => ({
  sources: [{ match: source }],
  destinations: [{ match: destination }],
});
const POLICIES = [
  { type: "TrafficPermission", name: "tp-1", ...rule({ service: "web" }, { service: "backend" }) },
  { type: "TrafficPermission", name: "tp-2", ...rule(ANY, ANY) },
  {
    type: "TrafficRoute",
    name: "tr-2",
    ...rule({ service: "web" }, { service: "backend" }),
    conf: [{ weight: 100, destination: { service: "backend", version: "v2" } }],
  },
  {
    type: "TrafficRoute",
    name: "tr-none",
    ...rule({ service: "nobody" }, ANY),
    conf: [{ weight: 100, destination: { service: "nowhere" } }],
  },
  { type: "TrafficLog", name: "tl-all", ...rule(ANY, ANY) },
  {
    type: "TrafficLog",
    name: "tl-wb",
    ...rule({ service: "web" }, { service: "backend" }),
    conf: { backend: "file2" },
  },
  {
    type: "HealthCheck",
    name: "hc-redis",
    ...rule(ANY, { service: "redis" }),
    conf: { passiveChecks: { unhealthyThreshold: 3, penaltyInterval: "5s" } },
  },
  { type: "TrafficTrace", name: "tt-web", selectors: [{ match: { service: "web" } }] },
  { type: "ProxyTemplate", name: "pt-all", conf: { imports: ["default-proxy"] } },
  {
    type: "ProxyTemplate",
    name: "pt-web",
    selectors: [{ match: { service: "web" } }],
    conf: { imports: ["default-proxy"] },
  },
].map((policy) => ({ ...policy, mesh: "demo" }));

let controlPlane: TestControlPlane;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
let config: string;

const run = (...args: string[]) => kumactl(args, { configPath: config });
const ok = (stdout: string) => ({ stdout, stderr: "", code: 0 });

beforeAll(async () => {
  controlPlane = await startControlPlane();
  scratch = await scratchDir();
  config = await writeConfigFor(scratch.dir, controlPlane.url);
  const client = createClient({ baseUrl: controlPlane.url });
  const bodies = [
    ...(JSON.parse(await readFile(DEMO, "utf8")) as Resource[]),
    ...(POLICIES as Resource[]),
  ];
  for (const body of bodies)
    await client.resources(resourceTypeByName(body.type)!).put(body as never);
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

describe("kumactl inspect dataplane", () => {
  it.each([
    ["web-1", "inspect-dataplane-web-1.txt"],
    ["backend-1", "inspect-dataplane-backend-1.txt"],
    ["gw-1", "inspect-dataplane-gw-1.txt"],
  ])("prints what applies to %s, attachment by attachment", async (name, file) => {
    expect(await run("inspect", "dataplane", name, "--mesh", "demo")).toEqual(ok(golden(file)));
  });

  it("prints nothing for a dataplane where nothing applies", async () => {
    expect(await run("inspect", "dataplane", "api-1", "--mesh", "secure")).toEqual(ok(""));
  });

  it("prints the API's body with -o json and -o yaml", async () => {
    const client = createClient({ baseUrl: controlPlane.url });
    const inspection = await client.inspectDataplane({ mesh: "demo", name: "web-1" });
    const json = await run("inspect", "dataplane", "web-1", "--mesh", "demo", "-o", "json");
    expect(json.code).toBe(0);
    expect(json.stdout).toBe(`${JSON.stringify(inspection, null, 2)}\n`);
    const yaml = await run("inspect", "dataplane", "web-1", "--mesh=demo", "-oyaml");
    expect(yaml.code).toBe(0);
    expect(yaml.stdout).toMatch(
      /^items:\n- effective:\n {4}proxyTemplate: pt-web\n {4}tracingBackend: zipkin-1\n/,
    );
    expect(yaml.stdout).toContain("next: null\ntotal: 6\n");
  });

  it("prints the server's error for a dataplane that does not exist", async () => {
    expect(await run("inspect", "dataplane", "nobody", "--mesh", "demo")).toEqual({
      stdout: "",
      stderr: "Error: Could not inspect a dataplane (Not found)\n",
      code: 1,
    });
  });

  it("needs exactly one name", async () => {
    const result = await run("inspect", "dataplane");
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^Error: accepts 1 arg\(s\), received 0\nUsage:\n {2}kumactl inspect dataplane NAME \[flags\]\n/,
    );
  });
});

describe("kumactl inspect <policy>", () => {
  it.each([
    ["traffic-permission", "tp-1", "inspect-traffic-permission-tp-1.txt"],
    ["traffic-route", "tr-2", "inspect-traffic-route-tr-2.txt"],
    ["traffic-log", "tl-all", "inspect-traffic-log-tl-all.txt"],
    ["healthcheck", "hc-redis", "inspect-healthcheck-hc-redis.txt"],
    ["traffic-trace", "tt-web", "inspect-traffic-trace-tt-web.txt"],
    ["proxytemplate", "pt-all", "inspect-proxytemplate-pt-all.txt"],
  ])("inspect %s %s prints the affected data plane proxies", async (type, name, file) => {
    expect(await run("inspect", type, name, "--mesh", "demo")).toEqual(ok(golden(file)));
  });

  it("prints only the header for a policy that applies nowhere", async () => {
    expect(await run("inspect", "traffic-route", "tr-none", "--mesh", "demo")).toEqual(
      ok("Affected data plane proxies:\n\n"),
    );
  });

  it("prints the server's error for a policy that does not exist", async () => {
    expect(await run("inspect", "traffic-permission", "tp-1", "--mesh", "default")).toEqual({
      stdout: "",
      stderr: "Error: Could not inspect a policy (Not found)\n",
      code: 1,
    });
  });

  it("prints the list body with -o json and -o yaml", async () => {
    expect(await run("inspect", "traffic-route", "tr-2", "--mesh", "demo", "-o", "json")).toEqual(
      ok(golden("inspect-traffic-route-tr-2.json")),
    );
    expect(await run("inspect", "traffic-route", "tr-2", "--mesh", "demo", "-o", "yaml")).toEqual(
      ok(golden("inspect-traffic-route-tr-2.yaml")),
    );
  });

  it("refuses an unknown output format before asking the server", async () => {
    expect(await run("inspect", "healthcheck", "hc-redis", "--mesh", "demo", "-o", "xml")).toEqual({
      stdout: "",
      stderr: 'Error: unknown output format "xml"\n',
      code: 1,
    });
  });
});
