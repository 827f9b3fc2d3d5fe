/**
 * kumactl as users get it: bundled, packed, installed with
 * `npm install -g --prefix` into an empty prefix, and run from there
 * against a real control plane.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "@kuma-ts/test-servers";
import { scratchDir } from "./test-support/kumactl.js";

const exec = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL("..", import.meta.url));

interface Manifest {
  version: string;
  bin: Record<string, string>;
  [key: string]: unknown;
}

/** Runs a command; resolves with its output and status whatever the status. */
async function run(file: string, args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await exec(file, args, { env });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failure = error as { stdout: string; stderr: string; code: number };
    return { stdout: failure.stdout, stderr: failure.stderr, code: failure.code };
  }
}

let controlPlane: TestControlPlane;
let scratch: Awaited<ReturnType<typeof scratchDir>>;

beforeAll(async () => {
  controlPlane = await startControlPlane();
  scratch = await scratchDir();
});
afterAll(async () => {
  await controlPlane.close();
  await scratch.cleanup();
});

describe("the packed kumactl", () => {
  it("installs with npm install -g into an empty prefix and runs from there", async () => {
    const staging = path.join(scratch.dir, "staging");
    await exec(process.execPath, [
      path.join(PACKAGE_DIR, "scripts", "bundle.mjs"),
      "--outfile",
      path.join(staging, "dist", "main.js"),
    ]);
    const manifest = JSON.parse(
      await readFile(path.join(PACKAGE_DIR, "package.json"), "utf8"),
    ) as Manifest;
    const published: Record<string, unknown> = { ...manifest };
    delete published.devDependencies;
    delete published.scripts;
    expect(published).not.toHaveProperty("dependencies");
    await writeFile(path.join(staging, "package.json"), JSON.stringify(published, null, 2));
    await cp(path.join(PACKAGE_DIR, "README.md"), path.join(staging, "README.md"));

    const { stdout: packed } = await exec(
      "npm",
      ["pack", "--json", "--pack-destination", scratch.dir],
      { cwd: staging },
    );
    const [{ filename, files }] = JSON.parse(packed) as [
      { filename: string; files: { path: string }[] },
    ];
    expect(files.map((f) => f.path).sort()).toEqual(["README.md", "dist/main.js", "package.json"]);

    const prefix = path.join(scratch.dir, "prefix");
    await mkdir(prefix);
    await exec("npm", [
      "install",
      "-g",
      "--prefix",
      prefix,
      "--offline",
      "--no-audit",
      "--no-fund",
      path.join(scratch.dir, filename),
    ]);
    const bin = path.join(prefix, "bin", "kumactl");
    const home = path.join(scratch.dir, "home");
    const env = { PATH: process.env.PATH, HOME: home };

    expect(await run(bin, ["version"], env)).toEqual({
      stdout: "",
      stderr: `${manifest.version}\n`,
      code: 0,
    });
    const detailed = await run(bin, ["version", "-a"], env);
    expect(detailed.code).toBe(0);
    expect(detailed.stderr).toMatch(
      new RegExp(
        `^Version:    ${manifest.version.replaceAll(".", "\\.")}\nGit Tag:    \\S+\nGit Commit: ([0-9a-f]{40}|unknown)\nBuild Date: \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\n$`,
      ),
    );

    expect(
      await run(
        bin,
        ["config", "control-planes", "add", "--name", "test", "--address", controlPlane.url],
        env,
      ),
    ).toEqual({
      stdout: "",
      stderr: 'added Control Plane "test"\nswitched active Control Plane to "test"\n',
      code: 0,
    });
    expect(await run(bin, ["get", "meshes"], env)).toEqual({
      stdout: "NAME      mTLS   CA        METRICS\ndefault   off    builtin   off\n",
      stderr: "",
      code: 0,
    });
    expect(await run(bin, ["get", "mesh", "nope", "-o", "yaml"], env)).toEqual({
      stdout: "",
      stderr: 'Error: there is no Mesh with name "nope"\n',
      code: 1,
    });
  }, 120_000);
});
