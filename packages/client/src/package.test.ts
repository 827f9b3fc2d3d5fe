/**
 * The client as a consumer gets it: packed with the model it needs,
 * installed from the tarballs into a scratch ESM project, imported by plain
 * Node, and type-checked by tsc from the published declarations.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { WORKSPACE_ROOT, packWorkspacePackage } from "./test-support/pack.js";

const run = promisify(execFile);
const require = createRequire(import.meta.url);

const RUN_SCRIPT = `
import { ApiError, createClient } from "@kuma-ts/client";
import { MeshType } from "@kuma-ts/model";

const kuma = createClient({ baseUrl: process.argv[2] });
const { items } = await kuma.resources(MeshType).list();
console.log(items.map((mesh) => mesh.name).join(","));
try {
  await kuma.resources(MeshType).get({ name: "missing" });
} catch (error) {
  console.log(error instanceof ApiError, error.status, error.message);
}
`;

const USAGE = `
import { ApiError, NetworkError, createClient, type Page } from "@kuma-ts/client";
import { DataplaneType, MeshType, type Dataplane, type DataplaneOverview } from "@kuma-ts/model";

const kuma = createClient({ baseUrl: "http://localhost:5681", timeoutMs: 5000, headers: { "X-Trace": "1" } });
const page: Page<Dataplane> = await kuma.resources(DataplaneType).list({ mesh: "default", size: 10 });
const address: string | undefined = page.items[0]?.networking?.address;
const next: string | undefined = page.nextOffset;
for await (const mesh of kuma.resources(MeshType).listAll()) {
  const enabled: boolean | undefined = mesh.mtls?.enabled;
  void enabled;
}
const { created, version } = await kuma.resources(MeshType).put({ type: "Mesh", name: "m" }, { createOnly: true });
await kuma.resources(MeshType).delete({ name: "m" }, { ifMatch: version });
const overviews: Page<DataplaneOverview> = await kuma.dataplaneOverviews({ mesh: "default", tags: { service: "web" } });
const tagline: string = (await kuma.index()).tagline;
try {
  await kuma.resources(DataplaneType).get({ mesh: "default", name: "dp-1" });
} catch (error) {
  if (error instanceof ApiError) console.log(error.status, error.title, error.details, error.causes.length);
  if (error instanceof NetworkError) console.log(error.reason, error.timedOut);
}
// @ts-expect-error a mesh-scoped type is addressed with its mesh
await kuma.resources(DataplaneType).get({ name: "dp-1" });
// @ts-expect-error a Mesh has no mesh of its own
await kuma.resources(MeshType).get({ mesh: "default", name: "m" });
// @ts-expect-error a Dataplane is not a Mesh
await kuma.resources(MeshType).put({ type: "Dataplane", mesh: "default", name: "dp" });
console.log(address, next, created, overviews.total, tagline);
`;

let scratch: string;
let controlPlane: TestControlPlane;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), "kuma-client-package-"));
  controlPlane = await startControlPlane();
});
afterAll(async () => {
  await controlPlane?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("the packed client", () => {
  it("installs from its tarball, runs against a real server and type-checks a usage file", async () => {
    const client = await packWorkspacePackage("packages/client", scratch);
    const model = await packWorkspacePackage("packages/model", scratch);
    const project = path.join(scratch, "project");
    await run("mkdir", ["-p", project]);
    await writeFile(
      path.join(project, "package.json"),
      JSON.stringify({
        name: "scratch",
        private: true,
        type: "module",
        dependencies: { "@kuma-ts/client": `file:${client}`, "@kuma-ts/model": `file:${model}` },
      }),
    );
    await run(
      "npm",
      ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"],
      {
        cwd: project,
      },
    );

    await writeFile(path.join(project, "run.mjs"), RUN_SCRIPT);
    const { stdout } = await run(process.execPath, ["run.mjs", controlPlane.url], { cwd: project });
    expect(stdout).toBe(`default\ntrue 404 Could not retrieve a resource (Not found)\n`);

    await writeFile(path.join(project, "usage.ts"), USAGE);
    await writeFile(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ["node"],
          typeRoots: [path.join(WORKSPACE_ROOT, "packages/client/node_modules/@types")],
        },
        files: ["usage.ts"],
      }),
    );
    const tsc = await run(
      process.execPath,
      [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"],
      {
        cwd: project,
      },
    ).catch((error: { stdout: string }) => ({ stdout: error.stdout }));
    expect(tsc.stdout).toBe("");
  }, 180_000);
});
