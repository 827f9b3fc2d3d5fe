import { readFile, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startControlPlane,
  type TestControlPlane,
  startScriptedServer,
  unusedUrl,
} from "@kuma-ts/test-servers";
import { kumactl, scratchDir } from "../test-support/kumactl.js";

const DEFAULT_CONFIG = `contexts:
- controlPlane: local
  name: local
controlPlanes:
- coordinates:
    apiServer:
      url: http://localhost:5681
  name: local
currentContext: local
`;

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

const failed = (stderr: string) => ({ stdout: "", stderr, code: 1 });
const said = (stderr: string) => ({ stdout: "", stderr, code: 0 });
const read = (file: string) => readFile(file, "utf8");

describe("the configuration file", () => {
  it("is created with the default content and mode 0600 on first use", async () => {
    const home = path.join(scratch.dir, "first-use");
    const file = path.join(home, ".kumactl", "config");
    expect(await kumactl(["config", "view"], { configPath: file })).toEqual(said(DEFAULT_CONFIG));
    expect(await read(file)).toBe(DEFAULT_CONFIG);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await kumactl(["config", "control-planes", "list"], { configPath: file })).toEqual({
      stdout: "ACTIVE   NAME    ADDRESS\n*        local   http://localhost:5681\n",
      stderr: "",
      code: 0,
    });
  });

  it("is found under HOME when no default path is injected", async () => {
    const home = path.join(scratch.dir, "home");
    const result = await kumactl(["config", "view"], { configPath: null, env: { HOME: home } });
    expect(result).toEqual(said(DEFAULT_CONFIG));
    expect(await read(path.join(home, ".kumactl", "config"))).toBe(DEFAULT_CONFIG);
  });

  it("must exist when given with --config-file, and is then never created", async () => {
    const missing = path.join(scratch.dir, "nope", "config");
    for (const args of [
      ["config", "view"],
      ["get", "meshes"],
      ["config", "control-planes", "add", "--name", "x", "--address", controlPlane.url],
    ]) {
      expect(await kumactl([...args, "--config-file", missing]), args.join(" ")).toEqual(
        failed(`Error: Failed to access configuration file "${missing}"\n`),
      );
    }
    await expect(stat(missing)).rejects.toThrow();
  });

  it("accepts snake_case keys, ignores unknown ones and reads an empty file as an empty configuration", async () => {
    const file = path.join(scratch.dir, "snake.yaml");
    await writeFile(
      file,
      `# written by hand
current_context: remote
control_planes:
- name: remote
  coordinates:
    api_server:
      url: ${controlPlane.url}
  extra: ignored
contexts:
- name: remote
  control_plane: remote
  defaults:
    mesh: default
`,
    );
    expect(await kumactl(["config", "view", "--config-file", file])).toEqual(
      said(`contexts:
- controlPlane: remote
  defaults:
    mesh: default
  name: remote
controlPlanes:
- coordinates:
    apiServer:
      url: ${controlPlane.url}
  name: remote
currentContext: remote
`),
    );
    expect(await kumactl(["get", "meshes", "--config-file", file])).toEqual({
      stdout: "NAME      mTLS   CA        METRICS\ndefault   off    builtin   off\n",
      stderr: "",
      code: 0,
    });
    const empty = path.join(scratch.dir, "empty.yaml");
    await writeFile(empty, "");
    expect(await kumactl(["config", "view", "--config-file", empty])).toEqual(
      said('contexts: []\ncontrolPlanes: []\ncurrentContext: ""\n'),
    );
    expect(await kumactl(["get", "meshes", "--config-file", empty])).toEqual(
      failed(
        "Error: active Control Plane is not set. Use `kumactl config control-planes add` to add a Control Plane and make it active\n",
      ),
    );
    expect(await read(empty)).toBe("");
  });

  it("reports a file that is not YAML", async () => {
    const broken = path.join(scratch.dir, "broken.yaml");
    await writeFile(broken, "contexts: [\n");
    const result = await kumactl(["config", "view", "--config-file", broken]);
    expect(result).toMatchObject({ stdout: "", code: 1 });
    expect(result.stderr).toMatch(
      new RegExp(`^Error: failed to parse configuration file "${broken}": [^\\n]+[^:]\\n$`),
    );
  });
});

describe("kumactl config control-planes", () => {
  it("adds, overwrites, lists, switches and removes control planes, writing the file each time", async () => {
    const file = path.join(scratch.dir, "sequence", "config");
    const run = (...args: string[]) =>
      kumactl(["config", "control-planes", ...args], { configPath: file });
    const url = controlPlane.url;

    expect(await run("add", "--name", "cp1", "--address", url)).toEqual(
      said('added Control Plane "cp1"\nswitched active Control Plane to "cp1"\n'),
    );
    expect(await read(file)).toBe(`contexts:
- controlPlane: local
  name: local
- controlPlane: cp1
  name: cp1
controlPlanes:
- coordinates:
    apiServer:
      url: http://localhost:5681
  name: local
- coordinates:
    apiServer:
      url: ${url}
  name: cp1
currentContext: cp1
`);
    expect(await kumactl(["get", "meshes"], { configPath: file })).toMatchObject({
      code: 0,
      stderr: "",
    });

    expect(await run("add", "--name", "cp1", "--address", url)).toEqual(
      failed(
        'Error: Control Plane with name "cp1" already exists. Use --overwrite to replace an existing one.\n',
      ),
    );
    expect(
      await run(
        "add",
        "--name",
        "local",
        "--address",
        `${url}/`,
        "--overwrite",
        "--admin-client-cert",
        "/certs/admin.pem",
        "--admin-client-key",
        "/certs/admin.key",
      ),
    ).toEqual(said('added Control Plane "local"\nswitched active Control Plane to "local"\n'));
    const afterOverwrite = `contexts:
- controlPlane: local
  name: local
- controlPlane: cp1
  name: cp1
controlPlanes:
- coordinates:
    apiServer:
      url: ${url}/
  credentials:
    clientCert: /certs/admin.pem
    clientKey: /certs/admin.key
  name: local
- coordinates:
    apiServer:
      url: ${url}
  name: cp1
currentContext: local
`;
    expect(await read(file)).toBe(afterOverwrite);

    expect(await run("list")).toEqual({
      stdout: `ACTIVE   NAME    ADDRESS\n*        local   ${url}/\n         cp1     ${url}\n`,
      stderr: "",
      code: 0,
    });

    expect(await run("switch", "--name", "nope")).toEqual(
      failed('Error: there is no Control Plane with name "nope"\n'),
    );
    expect(await read(file)).toBe(afterOverwrite);
    expect(await run("switch", "--name", "cp1")).toEqual(
      said('switched active Control Plane to "cp1"\n'),
    );
    expect(await read(file)).toBe(
      afterOverwrite.replace("currentContext: local", "currentContext: cp1"),
    );

    expect(await run("remove", "--name", "nope")).toEqual(
      failed('Error: there is no Control Plane with name "nope"\n'),
    );
    expect(await run("remove", "--name", "cp1")).toEqual(
      said('removed Control Plane "cp1"\nswitched active Control Plane to "local"\n'),
    );
    expect(await read(file)).toBe(`contexts:
- controlPlane: local
  name: local
controlPlanes:
- coordinates:
    apiServer:
      url: ${url}/
  credentials:
    clientCert: /certs/admin.pem
    clientKey: /certs/admin.key
  name: local
currentContext: local
`);
    expect(await run("remove", "--name", "local")).toEqual(
      said(
        'removed Control Plane "local"\nthere is no active Control Plane left. Use `kumactl config control-planes add` to add a Control Plane and make it active\n',
      ),
    );
    expect(await read(file)).toBe('contexts: []\ncontrolPlanes: []\ncurrentContext: ""\n');
    expect(await run("list")).toEqual({ stdout: "ACTIVE   NAME   ADDRESS\n", stderr: "", code: 0 });
    expect(await kumactl(["get", "meshes"], { configPath: file })).toEqual(
      failed(
        "Error: active Control Plane is not set. Use `kumactl config control-planes add` to add a Control Plane and make it active\n",
      ),
    );
  });

  it("names the required flags that are missing, sorted, without usage", async () => {
    const file = path.join(scratch.dir, "required", "config");
    const run = (...args: string[]) =>
      kumactl(["config", "control-planes", ...args], { configPath: file });
    expect(await run("add")).toEqual(failed('Error: required flag(s) "address", "name" not set\n'));
    expect(await run("add", "--name", "x")).toEqual(
      failed('Error: required flag(s) "address" not set\n'),
    );
    expect(await run("add", "--address", controlPlane.url)).toEqual(
      failed('Error: required flag(s) "name" not set\n'),
    );
    expect(await run("switch")).toEqual(failed('Error: required flag(s) "name" not set\n'));
    expect(await run("remove")).toEqual(failed('Error: required flag(s) "name" not set\n'));
  });

  it("refuses an address that is not an absolute URL or does not lead to a Kuma API server", async () => {
    const file = path.join(scratch.dir, "checks", "config");
    await kumactl(["config", "view"], { configPath: file });
    const add = (address: string) =>
      kumactl(["config", "control-planes", "add", "--name", "new", "--address", address], {
        configPath: file,
      });

    expect(await add("localhost:5681")).toEqual(
      failed(
        'Error: Control Plane configuration is not valid: API Server URL "localhost:5681" must be an absolute http or https URL\n',
      ),
    );
    expect(await add("not a url")).toEqual(
      failed(
        'Error: Control Plane configuration is not valid: API Server URL "not a url" must be an absolute http or https URL\n',
      ),
    );

    const dead = await unusedUrl();
    expect(await add(dead)).toEqual(
      failed(
        `Error: could not connect to the Control Plane API Server: GET ${dead}: connect ECONNREFUSED 127.0.0.1:${new URL(dead).port}\n`,
      ),
    );

    const answers: Record<string, { status: number; body: string }> = {
      "/unavailable": { status: 503, body: '{"title":"down","details":"Service Unavailable"}' },
      "/missing": { status: 404, body: "not found" },
      "/html": { status: 200, body: "<html>hello</html>" },
      "/other": { status: 200, body: '{"tagline":"Istio","version":"1.0"}' },
      "/untagged": { status: 200, body: '{"version":"1.0"}' },
    };
    const server = await startScriptedServer(
      (request) => answers[request.url] ?? { status: 500, body: "" },
    );
    try {
      expect(await add(`${server.url}/unavailable`)).toEqual(
        failed("Error: Control Plane API Server is not responding\n"),
      );
      expect(await add(`${server.url}/missing`)).toEqual(
        failed("Error: Control Plane API Server is not responding\n"),
      );
      for (const invalid of ["/html", "/other", "/untagged"]) {
        expect(await add(`${server.url}${invalid}`), invalid).toEqual(
          failed("Error: provided address is not valid Kuma Control Plane API Server\n"),
        );
      }
    } finally {
      await server.close();
    }
    expect(await read(file)).toBe(DEFAULT_CONFIG);
  });
});
