/**
 * Runs provision.sh with a PATH of stand-ins only: `id`, `sudo` and
 * `apt-get` that record how they were called (apt-get "installs" by putting
 * the package's commands on that PATH), so that no test touches the
 * machine's packages.
 */
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

const SCRIPT = fileURLToPath(new URL("../provision.sh", import.meta.url));
const INSTALL = "apt-get install -y --no-install-recommends";

/** The real bash and chmod, found on the test's own PATH: the script runs under bash with a PATH of stand-ins only. */
const BASH = findOnPath("bash");
const CHMOD = findOnPath("chmod");

function findOnPath(command: string): string {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`${command} was not found on PATH`);
}

/** What each stand-in package puts on PATH when the fake apt-get installs it. */
const COMMANDS_OF_PACKAGE: Record<string, readonly string[]> = {
  "redis-server": ["redis-server"],
  "redis-tools": ["redis-cli"],
  chromium: ["chromium"],
};

let bin: string;
let log: string;

beforeEach(async () => {
  bin = await mkdtemp(path.join(tmpdir(), "provision-test-"));
  log = path.join(bin, "calls.log");
  await writeFile(log, "");
});

afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

async function standIn(name: string, body: string): Promise<void> {
  const file = path.join(bin, name);
  await writeFile(file, `#!${BASH}\n${body}\n`);
  await chmod(file, 0o755);
}

/** `id -u` answers the given uid. */
const fakeId = (uid: number) => standIn("id", `echo ${uid}`);

/** `sudo -n true` succeeds when allowed; any other call runs the command (after `-n`) when allowed. */
const fakeSudo = (allowed: boolean) =>
  standIn(
    "sudo",
    `echo "sudo $*" >> "${log}"
${allowed ? "" : "exit 1"}
[ "$1" = -n ] && shift
"$@"`,
  );

/** apt-get records its arguments; `install` puts each package's commands on PATH (unless `installs` is false) and exits with `status`. */
const fakeAptGet = ({ installs = true, status = 0 } = {}) =>
  standIn(
    "apt-get",
    `echo "apt-get $*" >> "${log}"
if [ "$1" = install ] && ${installs}; then
  for arg in "$@"; do
    case "$arg" in
${Object.entries(COMMANDS_OF_PACKAGE)
  .map(
    ([pkg, commands]) =>
      `      ${pkg}) ${commands.map((c) => `printf '#!/bin/true\\n' > "${bin}/${c}"; ${CHMOD} +x "${bin}/${c}"`).join("; ")} ;;`,
  )
  .join("\n")}
    esac
  done
fi
exit ${status}`,
  );

/** A command that is already installed. */
const installed = (command: string) => standIn(command, "exit 0");

function provision(env: Record<string, string> = {}) {
  const result = spawnSync(BASH, [SCRIPT], {
    env: { PATH: bin, ...env },
    encoding: "utf8",
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function calls(): Promise<string[]> {
  return (await readFile(log, "utf8")).split("\n").filter(Boolean);
}

describe("provision.sh", () => {
  it("does nothing, silently, when every package is installed", async () => {
    await installed("redis-server");
    await installed("redis-cli");
    await installed("chromium");
    await fakeId(1000);
    await fakeSudo(true);
    await fakeAptGet();

    expect(provision()).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(await calls()).toEqual([]);
  });

  it("installs the missing packages with apt-get as root, updating the package lists first", async () => {
    await fakeId(0);
    await fakeAptGet();

    expect(provision()).toEqual({
      code: 0,
      stdout: "",
      stderr: "installing redis-server redis-tools chromium for the tests\n",
    });
    expect(await calls()).toEqual([
      "apt-get update -q",
      `${INSTALL} redis-server redis-tools chromium`,
    ]);
  });

  it("installs only what is missing", async () => {
    await installed("redis-server");
    await installed("chromium");
    await fakeId(0);
    await fakeAptGet();

    expect(provision().code).toBe(0);
    expect(await calls()).toEqual(["apt-get update -q", `${INSTALL} redis-tools`]);
  });

  it("uses password-less sudo when not root", async () => {
    await fakeId(1000);
    await fakeSudo(true);
    await fakeAptGet();

    expect(provision()).toEqual({
      code: 0,
      stdout: "",
      stderr: "installing redis-server redis-tools chromium for the tests\n",
    });
    expect(await calls()).toEqual([
      "sudo -n true",
      "sudo -n apt-get update -q",
      "apt-get update -q",
      `sudo -n ${INSTALL} redis-server redis-tools chromium`,
      `${INSTALL} redis-server redis-tools chromium`,
    ]);
  });

  it("stops at once with the command to run when sudo would ask for a password", async () => {
    await fakeId(1000);
    await fakeSudo(false);
    await fakeAptGet();

    expect(provision()).toEqual({
      code: 1,
      stdout: "",
      stderr: `the tests need redis-server redis-tools chromium; install with: sudo apt-get update && sudo ${INSTALL} redis-server redis-tools chromium\n`,
    });
    expect(await calls()).toEqual(["sudo -n true"]);
  });

  it("stops with the same line when there is no sudo", async () => {
    await installed("redis-server");
    await installed("chromium");
    await fakeId(1000);
    await fakeAptGet();

    expect(provision()).toEqual({
      code: 1,
      stdout: "",
      stderr: `the tests need redis-tools; install with: sudo apt-get update && sudo ${INSTALL} redis-tools\n`,
    });
    expect(await calls()).toEqual([]);
  });

  it("names the packages when the system has no apt-get", async () => {
    await fakeId(0);

    expect(provision()).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "the tests need these Debian packages (or their equivalents on this system): redis-server redis-tools chromium\n",
    });
  });

  it("fails when apt-get fails, with apt-get's exit status", async () => {
    await fakeId(0);
    await fakeAptGet({ installs: false, status: 100 });

    expect(provision().code).toBe(100);
    expect(await calls()).toEqual(["apt-get update -q"]);
  });

  it("fails when the installed packages still do not provide the commands", async () => {
    await fakeId(0);
    await fakeAptGet({ installs: false });

    expect(provision()).toEqual({
      code: 1,
      stdout: "",
      stderr:
        "installing redis-server redis-tools chromium for the tests\n" +
        "apt-get install succeeded, but what these packages provide is still missing: redis-server redis-tools chromium\n",
    });
  });

  it("accepts the binaries the tests are pointed at with REDIS_SERVER_BIN, REDIS_CLI_BIN and CHROMIUM_BIN", async () => {
    await fakeId(0);
    await fakeAptGet();
    const elsewhere = await mkdtemp(path.join(tmpdir(), "provision-redis-"));
    try {
      for (const name of ["my-redis-server", "my-redis-cli", "my-chromium"]) {
        await writeFile(path.join(elsewhere, name), "#!/bin/true\n");
        await chmod(path.join(elsewhere, name), 0o755);
      }
      expect(
        provision({
          REDIS_SERVER_BIN: path.join(elsewhere, "my-redis-server"),
          REDIS_CLI_BIN: path.join(elsewhere, "my-redis-cli"),
          CHROMIUM_BIN: path.join(elsewhere, "my-chromium"),
        }),
      ).toEqual({ code: 0, stdout: "", stderr: "" });
      expect(await calls()).toEqual([]);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});
