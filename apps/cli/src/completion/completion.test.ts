/**
 * Shell completion end to end: the bundled kumactl on PATH, its bash script
 * loaded into a real bash, completing command lines against a real control
 * plane — and `kumactl __complete`, the protocol under every script.
 */
import { execFile } from "node:child_process";
import { access, chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient } from "@kuma-ts/client";
import { DataplaneType, MeshType, TrafficRouteType, type Resource } from "@kuma-ts/model";
import {
  startControlPlane,
  startScriptedServer,
  unusedUrl,
  type TestControlPlane,
} from "@kuma-ts/test-servers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFor, kumactl, scratchDir } from "../test-support/kumactl.js";

const exec = promisify(execFile);
const PACKAGE_DIR = fileURLToPath(new URL("../..", import.meta.url));
const SCRIPTS = new URL("./", import.meta.url);

let controlPlane: TestControlPlane;
let other: TestControlPlane;
let scratch: Awaited<ReturnType<typeof scratchDir>>;
/** The output of `kumactl completion bash`. */
let bashScript: string;
/** A folder holding a `kumactl` that runs the bundle, put first on PATH. */
let bin: string;
/** HOME of the shells: `~/.kumactl/config` points at `controlPlane`. */
let home: string;
let otherConfig: string;

function dataplane(mesh: string, name: string): Resource {
  return {
    type: "Dataplane",
    mesh,
    name,
    networking: { address: "10.0.0.1", inbound: [{ port: 8080, tags: { service: name } }] },
  } as Resource;
}

beforeAll(async () => {
  scratch = await scratchDir();
  bin = path.join(scratch.dir, "bin");
  await mkdir(bin);
  const bundle = path.join(scratch.dir, "kumactl.mjs");
  await exec(process.execPath, [
    path.join(PACKAGE_DIR, "scripts", "bundle.mjs"),
    "--outfile",
    bundle,
  ]);
  await writeFile(
    path.join(bin, "kumactl"),
    `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(bundle)} "$@"\n`,
  );
  await chmod(path.join(bin, "kumactl"), 0o755);
  // Printed once: each completion below then starts one kumactl (for `__complete`), not two.
  bashScript = path.join(scratch.dir, "kumactl.bash");
  await writeFile(
    bashScript,
    (await exec(path.join(bin, "kumactl"), ["completion", "bash"])).stdout,
  );

  controlPlane = await startControlPlane();
  const client = createClient({ baseUrl: controlPlane.url });
  for (const name of ["mesh-1", "mesh-2"]) {
    await client.resources(MeshType).put({ type: "Mesh", name });
  }
  for (const [mesh, name] of [
    ["default", "backend-1"],
    ["default", "backend-2"],
    ["default", "web-1"],
    ["mesh-1", "frontend-1"],
  ] as const) {
    await client.resources(DataplaneType).put(dataplane(mesh, name) as never);
  }
  await client.resources(TrafficRouteType).put({
    type: "TrafficRoute",
    mesh: "default",
    name: "web-to-backend",
    sources: [{ match: { service: "web" } }],
    destinations: [{ match: { service: "backend" } }],
    conf: [{ weight: 100, destination: { service: "backend" } }],
  } as never);

  other = await startControlPlane({ withoutDefaultMesh: true });
  await createClient({ baseUrl: other.url })
    .resources(MeshType)
    .put({ type: "Mesh", name: "elsewhere" });

  home = path.join(scratch.dir, "home");
  await mkdir(path.join(home, ".kumactl"), { recursive: true });
  await writeFile(path.join(home, ".kumactl", "config"), configFor(controlPlane.url));
  otherConfig = path.join(scratch.dir, "other-config");
  await writeFile(otherConfig, configFor(other.url, "other"));
}, 120_000);

afterAll(async () => {
  await controlPlane.close();
  await other.close();
  await scratch.cleanup();
});

/**
 * Loads `kumactl completion bash` into bash and presses TAB at the end of
 * `line`: COMP_LINE and COMP_POINT as bash sets them, then the candidates
 * the function left in COMPREPLY.
 */
async function bashCompletes(
  line: string,
  options: { cwd?: string; home?: string } = {},
): Promise<string[]> {
  const script = [
    'source "$SCRIPT"',
    "COMP_LINE=$LINE COMP_POINT=${#LINE} _kumactl_complete",
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join("\n");
  const { stdout, stderr } = await exec("bash", ["-c", script], {
    cwd: options.cwd ?? scratch.dir,
    env: {
      PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`,
      HOME: options.home ?? home,
      LINE: line,
      SCRIPT: bashScript,
    },
  });
  expect(stderr, "bash's stderr").toBe("");
  return stdout.split("\n").filter((word) => word !== "");
}

const ALL_TYPES_SINGULAR = [
  "mesh",
  "dataplane",
  "healthcheck",
  "proxytemplate",
  "traffic-log",
  "traffic-permission",
  "traffic-route",
  "traffic-trace",
];

describe("bash completion", () => {
  it("registers _kumactl_complete for kumactl", async () => {
    const { stdout } = await exec(
      "bash",
      ["-c", "source <(kumactl completion bash) && complete -p kumactl"],
      { env: { PATH: `${bin}${path.delimiter}${process.env["PATH"] ?? ""}`, HOME: home } },
    );
    expect(stdout).toBe("complete -F _kumactl_complete kumactl\n");
  });

  it("completes commands and subcommands from the program", async () => {
    expect(await bashCompletes("kumactl ")).toEqual([
      "apply",
      "completion",
      "config",
      "delete",
      "generate",
      "get",
      "help",
      "inspect",
      "revoke",
      "version",
    ]);
    expect(await bashCompletes("kumactl co")).toEqual(["completion", "config"]);
    expect(await bashCompletes("kumactl config control-planes ")).toEqual([
      "add",
      "list",
      "remove",
      "switch",
    ]);
    expect(await bashCompletes("kumactl completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(await bashCompletes("kumactl nope ")).toEqual([]);
  });

  it("completes resource types", async () => {
    expect(await bashCompletes("kumactl get ")).toEqual([
      "dataplane",
      "dataplanes",
      "healthcheck",
      "healthchecks",
      "mesh",
      "meshes",
      "proxytemplate",
      "proxytemplates",
      "traffic-log",
      "traffic-logs",
      "traffic-permission",
      "traffic-permissions",
      "traffic-route",
      "traffic-routes",
      "traffic-trace",
      "traffic-traces",
    ]);
    expect(await bashCompletes("kumactl get traffic-r")).toEqual([
      "traffic-route",
      "traffic-routes",
    ]);
    expect(await bashCompletes("kumactl delete ")).toEqual(ALL_TYPES_SINGULAR);
    expect(await bashCompletes("kumactl delete traffic-")).toEqual(
      ALL_TYPES_SINGULAR.filter((type) => type.startsWith("traffic-")),
    );
    expect(await bashCompletes("kumactl inspect ")).toEqual([
      "dataplane",
      "dataplanes",
      "healthcheck",
      "proxytemplate",
      "traffic-log",
      "traffic-permission",
      "traffic-route",
      "traffic-trace",
    ]);
  });

  it("completes the flags of a command and the ones it inherits, leaving out those given", async () => {
    expect(await bashCompletes("kumactl get meshes --")).toEqual([
      "--size",
      "--offset",
      "--watch",
      "--output",
      "--config-file",
      "--mesh",
      "--log-level",
      "--help",
    ]);
    expect(await bashCompletes("kumactl get meshes -")).toEqual([
      "--size",
      "--offset",
      "--watch",
      "-w",
      "--output",
      "-o",
      "--config-file",
      "--mesh",
      "-m",
      "--log-level",
      "--help",
      "-h",
    ]);
    expect(await bashCompletes("kumactl get meshes -o json --o")).toEqual(["--offset"]);
    expect(await bashCompletes("kumactl inspect dataplanes --w")).toEqual(["--watch"]);
    expect(await bashCompletes("kumactl get dataplanes -w --w")).toEqual([]);
    expect(await bashCompletes("kumactl --mesh m get meshes --m")).toEqual([]);
    // --tag repeats.
    expect(await bashCompletes("kumactl inspect dataplanes --tag a=b --t")).toEqual(["--tag"]);
    expect(await bashCompletes("kumactl apply --d")).toEqual(["--dry-run"]);
  });

  it("completes the values of flags that have a known set", async () => {
    expect(await bashCompletes("kumactl get meshes -o ")).toEqual(["table", "yaml", "json"]);
    expect(await bashCompletes("kumactl get meshes --output ")).toEqual(["table", "yaml", "json"]);
    expect(await bashCompletes("kumactl get meshes --output=y")).toEqual(["yaml"]);
    expect(await bashCompletes("kumactl --log-level ")).toEqual(["off", "info", "debug"]);
    expect(await bashCompletes("kumactl get meshes --size ")).toEqual([]);
  });

  it("completes the names of get from the current control plane, in the mesh of --mesh", async () => {
    expect(await bashCompletes("kumactl get mesh ")).toEqual(["default", "mesh-1", "mesh-2"]);
    expect(await bashCompletes("kumactl get dataplane ")).toEqual([
      "backend-1",
      "backend-2",
      "web-1",
    ]);
    expect(await bashCompletes("kumactl get dataplane b")).toEqual(["backend-1", "backend-2"]);
    expect(await bashCompletes("kumactl get dataplane --mesh mesh-1 ")).toEqual(["frontend-1"]);
    expect(await bashCompletes("kumactl -m mesh-1 get dataplane ")).toEqual(["frontend-1"]);
    expect(await bashCompletes("kumactl --mesh=mesh-1 get dataplane f")).toEqual(["frontend-1"]);
    expect(await bashCompletes("kumactl get traffic-route ")).toEqual(["web-to-backend"]);
    expect(await bashCompletes("kumactl get dataplane web-1 ")).toEqual([]);
    expect(await bashCompletes("kumactl get dataplanes ")).toEqual([]);
  });

  it("completes the names of delete, after their type", async () => {
    expect(await bashCompletes("kumactl delete dataplane ")).toEqual([
      "backend-1",
      "backend-2",
      "web-1",
    ]);
    expect(await bashCompletes("kumactl delete traffic-route w")).toEqual(["web-to-backend"]);
    expect(await bashCompletes("kumactl delete mesh --mesh mesh-1 m")).toEqual([
      "mesh-1",
      "mesh-2",
    ]);
    expect(await bashCompletes("kumactl delete bogus ")).toEqual([]);
    expect(await bashCompletes("kumactl delete mesh mesh-1 ")).toEqual([]);
  });

  it("completes the names of inspect", async () => {
    expect(await bashCompletes("kumactl inspect dataplane ")).toEqual([
      "backend-1",
      "backend-2",
      "web-1",
    ]);
    expect(await bashCompletes("kumactl inspect traffic-route ")).toEqual(["web-to-backend"]);
  });

  it("completes --mesh with the meshes, in both spellings", async () => {
    expect(await bashCompletes("kumactl get dataplanes --mesh ")).toEqual([
      "default",
      "mesh-1",
      "mesh-2",
    ]);
    // bash splits `--mesh=mesh-` at `=`: the candidates replace what follows it.
    expect(await bashCompletes("kumactl get dataplanes --mesh=mesh-")).toEqual([
      "mesh-1",
      "mesh-2",
    ]);
  });

  it("asks the control plane of --config-file when the line gives one", async () => {
    expect(await bashCompletes(`kumactl --config-file ${otherConfig} get mesh `)).toEqual([
      "elsewhere",
    ]);
  });

  it("completes file names for -f and --config-file", async () => {
    const dir = path.join(scratch.dir, "files");
    await mkdir(path.join(dir, "policies"), { recursive: true });
    await writeFile(path.join(dir, "mesh.yaml"), "type: Mesh\nname: m\n");
    expect((await bashCompletes("kumactl apply -f ", { cwd: dir })).sort()).toEqual([
      "mesh.yaml",
      "policies",
    ]);
    expect(await bashCompletes("kumactl apply --file m", { cwd: dir })).toEqual(["mesh.yaml"]);
    expect(await bashCompletes("kumactl --config-file p", { cwd: dir })).toEqual(["policies"]);
  });

  it("offers no names, and says nothing, when the control plane does not answer", async () => {
    const deadHome = path.join(scratch.dir, "dead-home");
    await mkdir(path.join(deadHome, ".kumactl"), { recursive: true });
    await writeFile(path.join(deadHome, ".kumactl", "config"), configFor(await unusedUrl()));
    expect(await bashCompletes("kumactl get mesh ", { home: deadHome })).toEqual([]);
    expect(await bashCompletes("kumactl get ", { home: deadHome })).toContain("mesh");
  });
});

describe("kumactl __complete", () => {
  it("prints each candidate with its description, then cobra's directive", async () => {
    expect(await kumactl(["__complete", "ge"])).toEqual({
      stdout: "generate\tGenerate resources, tokens, etc\nget\tShow Kuma resources\n:4\n",
      stderr: "",
      code: 0,
    });
    expect(await kumactl(["__complete", "get", "meshes", "--si"])).toEqual({
      stdout: "--size\tmaximum number of elements to return\n:4\n",
      stderr: "",
      code: 0,
    });
    expect(await kumactl(["__complete", "get", "meshes", "-o", ""])).toEqual({
      stdout: "table\nyaml\njson\n:4\n",
      stderr: "",
      code: 0,
    });
  });

  it("lets the shell complete file names with directive 0 where a flag takes a path", async () => {
    expect(await kumactl(["__complete", "apply", "-f", ""])).toEqual({
      stdout: ":0\n",
      stderr: "",
      code: 0,
    });
    expect(await kumactl(["__complete", "--config-file=c"])).toEqual({
      stdout: ":0\n",
      stderr: "",
      code: 0,
    });
  });

  it("gives up on names silently when the control plane does not answer in time", async () => {
    const silent = await startScriptedServer(() => ({ hang: true }));
    const dir = await scratchDir();
    try {
      const config = path.join(dir.dir, "config");
      await writeFile(config, configFor(silent.url));
      expect(await kumactl(["__complete", "get", "mesh", ""], { configPath: config })).toEqual({
        stdout: ":4\n",
        stderr: "",
        code: 0,
      });
      expect(silent.requests.map((request) => request.url)).toEqual(["/meshes?size=1000"]);
    } finally {
      await silent.close();
      await dir.cleanup();
    }
  });

  it("neither fails nor creates the configuration file when it is missing or broken", async () => {
    const dir = await scratchDir();
    try {
      const missing = path.join(dir.dir, ".kumactl", "config");
      expect(await kumactl(["__complete", "get", "mesh", ""], { configPath: missing })).toEqual({
        stdout: ":4\n",
        stderr: "",
        code: 0,
      });
      await expect(access(missing)).rejects.toThrow();
      const broken = path.join(dir.dir, "broken");
      await writeFile(broken, "controlPlanes: [");
      expect(await kumactl(["__complete", "--config-file", broken, "get", "mesh", ""])).toEqual({
        stdout: ":4\n",
        stderr: "",
        code: 0,
      });
    } finally {
      await dir.cleanup();
    }
  });
});

describe("kumactl completion", () => {
  it("prints the script of each shell", async () => {
    for (const shell of ["bash", "zsh", "fish"]) {
      const script = await readFile(new URL(`kumactl.${shell}`, SCRIPTS), "utf8");
      expect(await kumactl(["completion", shell]), shell).toEqual({
        stdout: script,
        stderr: "",
        code: 0,
      });
      expect(script, shell).toContain("__complete");
    }
    const { stdout: zsh } = await kumactl(["completion", "zsh"]);
    expect(zsh.split("\n")[0]).toBe("#compdef kumactl");
    expect(zsh).toContain("compdef _kumactl kumactl");
    const { stdout: fish } = await kumactl(["completion", "fish"]);
    expect(fish).toContain("complete -c kumactl -f -a '(__kumactl_complete)'");
  });

  it("says how to enable the script in its help", async () => {
    const { stdout, code } = await kumactl(["completion", "bash", "--help"]);
    expect(code).toBe(0);
    expect(stdout).toContain("  source <(kumactl completion bash)\n");
    expect(stdout).toContain("Usage:\n  kumactl completion bash [flags]\n");
  });

  it("prints its help when run bare, and rejects an unknown shell like any unknown command", async () => {
    const { stdout, code } = await kumactl(["completion"]);
    expect(code).toBe(0);
    expect(stdout).toContain(
      "Available Commands:\n  bash        Output shell completions for bash\n  fish        Output shell completions for fish\n  zsh         Output shell completions for zsh\n",
    );
    expect(await kumactl(["completion", "powershell"])).toEqual({
      stdout: "",
      stderr:
        'Error: unknown command "powershell" for "kumactl completion"\n' +
        "Run 'kumactl completion --help' for usage.\n",
      code: 1,
    });
  });
});
