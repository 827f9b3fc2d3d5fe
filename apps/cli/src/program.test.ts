import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { kumactl } from "./test-support/kumactl.js";

const GLOBAL_FLAGS = `Global Flags:
      --config-file string   path to the configuration file to use
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")
`;

const ROOT_HELP = `Management tool for Kuma.

Usage:
  kumactl [command]

Available Commands:
  apply       Create or modify Kuma resources
  completion  Output shell completion code for bash, fish or zsh
  config      Manage kumactl config
  delete      Delete Kuma resources
  generate    Generate resources, tokens, etc
  get         Show Kuma resources
  help        Help about any command
  inspect     Inspect Kuma resources
  revoke      Revoke tokens
  version     Print version

Flags:
      --config-file string   path to the configuration file to use
  -h, --help                 help for kumactl
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")

Use "kumactl [command] --help" for more information about a command.
`;

const GET_HELP = `Show Kuma resources.

Usage:
  kumactl get [command]

Available Commands:
  dataplane           Show a single Dataplane resource
  dataplanes          Show Dataplanes
  healthcheck         Show a single HealthCheck resource
  healthchecks        Show HealthChecks
  mesh                Show a single Mesh resource
  meshes              Show Meshes
  proxytemplate       Show a single ProxyTemplate resource
  proxytemplates      Show ProxyTemplates
  traffic-log         Show a single TrafficLog resource
  traffic-logs        Show TrafficLogs
  traffic-permission  Show a single TrafficPermission resource
  traffic-permissions Show TrafficPermissions
  traffic-route       Show a single TrafficRoute resource
  traffic-routes      Show TrafficRoutes
  traffic-trace       Show a single TrafficTrace resource
  traffic-traces      Show TrafficTraces

Flags:
  -h, --help            help for get
  -o, --output string   output format: one of table|yaml|json (default "table")

${GLOBAL_FLAGS}
Use "kumactl get [command] --help" for more information about a command.
`;

const GET_MESHES_USAGE = `Usage:
  kumactl get meshes [flags]

Flags:
  -h, --help            help for meshes
      --offset string   the offset that indicates starting element of the resources list to retrieve
      --size int        maximum number of elements to return
  -w, --watch           after listing, print the changes as they happen (until Ctrl-C)

Global Flags:
      --config-file string   path to the configuration file to use
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")
  -o, --output string        output format: one of table|yaml|json (default "table")
`;

const GET_MESH_USAGE = `Usage:
  kumactl get mesh NAME [flags]

Flags:
  -h, --help   help for mesh

Global Flags:
      --config-file string   path to the configuration file to use
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")
  -o, --output string        output format: one of table|yaml|json (default "table")
`;

const CONFIG_HELP = `Manage kumactl config.

Usage:
  kumactl config [command]

Available Commands:
  control-planes Manage known Control Planes
  view           Show kumactl config

Flags:
  -h, --help   help for config

${GLOBAL_FLAGS}
Use "kumactl config [command] --help" for more information about a command.
`;

const CONTROL_PLANES_HELP = `Manage known Control Planes.

Usage:
  kumactl config control-planes [command]

Available Commands:
  add         Add a Control Plane
  list        List Control Planes
  remove      Remove a Control Plane
  switch      Switch active Control Plane

Flags:
  -h, --help   help for control-planes

${GLOBAL_FLAGS}
Use "kumactl config control-planes [command] --help" for more information about a command.
`;

const INSPECT_HELP = `Inspect Kuma resources.

Usage:
  kumactl inspect [command]

Available Commands:
  dataplane          Inspect Dataplane
  dataplanes         Inspect Dataplanes
  healthcheck        Inspect HealthCheck
  proxytemplate      Inspect ProxyTemplate
  traffic-log        Inspect TrafficLog
  traffic-permission Inspect TrafficPermission
  traffic-route      Inspect TrafficRoute
  traffic-trace      Inspect TrafficTrace

Flags:
  -h, --help            help for inspect
  -o, --output string   output format: one of table|yaml|json (default "table")

${GLOBAL_FLAGS}
Use "kumactl inspect [command] --help" for more information about a command.
`;

const ADD_HELP = `Add a Control Plane.

Usage:
  kumactl config control-planes add [flags]

Flags:
      --address string             URL of the Control Plane API Server (required)
      --admin-client-cert string   path to certificate of a client that is authorized to use Admin Server
      --admin-client-key string    path to certificate key of a client that is authorized to use Admin Server
      --auth-conf stringToString   authentication configuration, for tokens: token=YOUR_TOKEN (default [])
      --auth-type string           authentication type of the Control Plane API Server: tokens
      --ca-cert-file string        path to the CA certificate of the Control Plane API Server (https)
      --client-cert-file string    path to a client certificate for the Control Plane API Server (https)
      --client-key-file string     path to the key of the client certificate
  -h, --help                       help for add
      --name string                reference name for the Control Plane (required)
      --overwrite                  overwrite existing Control Plane with the same reference name
      --skip-verify                do not verify the certificate of the Control Plane API Server (insecure)

${GLOBAL_FLAGS}`;

const APPLY_USAGE = `Usage:
  kumactl apply [flags]

Flags:
      --dry-run              Resolve variable and prints result out without actual applying
  -f, --file string          Path to file to apply
  -h, --help                 help for apply
  -v, --var stringToString   Variable to replace in configuration (default [])

${GLOBAL_FLAGS}`;

const INSPECT_DATAPLANES_USAGE = `Usage:
  kumactl inspect dataplanes [flags]

Flags:
  -h, --help                 help for dataplanes
      --tag stringToString   filter by tag in format of key=value. You can provide many tags (default [])
  -w, --watch                after listing, print the changes as they happen (until Ctrl-C)

Global Flags:
      --config-file string   path to the configuration file to use
      --log-level string     log level: one of off|info|debug (default "off")
  -m, --mesh string          mesh to use (default "default")
  -o, --output string        output format: one of table|yaml|json (default "table")
`;

const VERSION_HELP = `Print version.

Usage:
  kumactl version [flags]

Flags:
  -a, --detailed   Print detailed version
  -h, --help       help for version

${GLOBAL_FLAGS}`;

const ok = (stdout: string) => ({ stdout, stderr: "", code: 0 });
const failed = (stderr: string) => ({ stdout: "", stderr, code: 1 });

describe("help", () => {
  it("prints the root help on stdout when run bare, with -h, --help and help", async () => {
    for (const args of [[], ["-h"], ["--help"], ["help"]]) {
      expect(await kumactl(args), args.join(" ")).toEqual(ok(ROOT_HELP));
    }
  });

  it("prints a group's help when the group is run bare or asked for help", async () => {
    expect(await kumactl(["get"])).toEqual(ok(GET_HELP));
    expect(await kumactl(["get", "--help"])).toEqual(ok(GET_HELP));
    expect(await kumactl(["help", "get"])).toEqual(ok(GET_HELP));
    expect(await kumactl(["config"])).toEqual(ok(CONFIG_HELP));
    expect(await kumactl(["config", "control-planes"])).toEqual(ok(CONTROL_PLANES_HELP));
    expect(await kumactl(["inspect"])).toEqual(ok(INSPECT_HELP));
  });

  it("prints a command's help with its flags and the inherited ones", async () => {
    expect(await kumactl(["get", "meshes", "--help"])).toEqual(
      ok(`Show Meshes.\n\n${GET_MESHES_USAGE}`),
    );
    expect(await kumactl(["help", "get", "mesh"])).toEqual(
      ok(`Show a single Mesh resource.\n\n${GET_MESH_USAGE}`),
    );
    expect(await kumactl(["config", "control-planes", "add", "-h"])).toEqual(ok(ADD_HELP));
    expect(await kumactl(["apply", "--help"])).toEqual(
      ok(`Create or modify Kuma resources.\n\n${APPLY_USAGE}`),
    );
    expect(await kumactl(["inspect", "dataplanes", "-h"])).toEqual(
      ok(`Inspect Dataplanes.\n\n${INSPECT_DATAPLANES_USAGE}`),
    );
    expect(await kumactl(["version", "--help"])).toEqual(ok(VERSION_HELP));
  });

  it("answers an unknown help topic with the root usage", async () => {
    const usage = ROOT_HELP.slice(ROOT_HELP.indexOf("Usage:"));
    expect(await kumactl(["help", "nope"])).toEqual({
      stdout: "",
      stderr: `Unknown help topic [\`nope\`]\n${usage}`,
      code: 0,
    });
  });
});

describe("parse errors", () => {
  it("reports an unknown command with a pointer to --help", async () => {
    expect(await kumactl(["foo"])).toEqual(
      failed(`Error: unknown command "foo" for "kumactl"\nRun 'kumactl --help' for usage.\n`),
    );
    expect(await kumactl(["get", "foo"])).toEqual(
      failed(
        `Error: unknown command "foo" for "kumactl get"\nRun 'kumactl get --help' for usage.\n`,
      ),
    );
    expect(await kumactl(["config", "control-planes", "rename"])).toEqual(
      failed(
        `Error: unknown command "rename" for "kumactl config control-planes"\nRun 'kumactl config control-planes --help' for usage.\n`,
      ),
    );
  });

  it("reports unknown flags followed by the command's usage", async () => {
    expect(await kumactl(["get", "meshes", "--foo"])).toEqual(
      failed(`Error: unknown flag: --foo\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "--foo=bar"])).toEqual(
      failed(`Error: unknown flag: --foo\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "-x"])).toEqual(
      failed(`Error: unknown shorthand flag: 'x' in -x\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "-xyz"])).toEqual(
      failed(`Error: unknown shorthand flag: 'x' in -xyz\n${GET_MESHES_USAGE}\n`),
    );
    const rootUsage = ROOT_HELP.slice(ROOT_HELP.indexOf("Usage:"));
    expect(await kumactl(["--foo"])).toEqual(failed(`Error: unknown flag: --foo\n${rootUsage}\n`));
  });

  it("reports a flag without its value, naming the spelling used", async () => {
    expect(await kumactl(["get", "meshes", "-o"])).toEqual(
      failed(`Error: flag needs an argument: 'o' in -o\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "--output"])).toEqual(
      failed(`Error: flag needs an argument: --output\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "--size"])).toEqual(
      failed(`Error: flag needs an argument: --size\n${GET_MESHES_USAGE}\n`),
    );
    expect(await kumactl(["apply", "--dry-run", "-f"])).toEqual(
      failed(`Error: flag needs an argument: 'f' in -f\n${APPLY_USAGE}\n`),
    );
  });

  it("reports bad flag values with pflag's messages and the usage", async () => {
    expect(await kumactl(["get", "meshes", "--size", "abc"])).toEqual(
      failed(
        `Error: invalid argument "abc" for "--size" flag: strconv.ParseInt: parsing "abc": invalid syntax\n${GET_MESHES_USAGE}\n`,
      ),
    );
    expect(await kumactl(["inspect", "dataplanes", "--tag", "x"])).toEqual(
      failed(
        `Error: invalid argument "x" for "--tag" flag: x must be formatted as key=value\n${INSPECT_DATAPLANES_USAGE}\n`,
      ),
    );
    expect(await kumactl(["inspect", "dataplanes", "--tag", "a=b,c=d,e"])).toEqual(
      failed(
        `Error: invalid argument "a=b,c=d,e" for "--tag" flag: e must be formatted as key=value\n${INSPECT_DATAPLANES_USAGE}\n`,
      ),
    );
    expect(await kumactl(["apply", "-v", "novalue"])).toEqual(
      failed(
        `Error: invalid argument "novalue" for "-v, --var" flag: novalue must be formatted as key=value\n${APPLY_USAGE}\n`,
      ),
    );
  });

  it("reports argument counts with the usage", async () => {
    expect(await kumactl(["get", "mesh"])).toEqual(
      failed(`Error: accepts 1 arg(s), received 0\n${GET_MESH_USAGE}\n`),
    );
    expect(await kumactl(["get", "mesh", "a", "b"])).toEqual(
      failed(`Error: accepts 1 arg(s), received 2\n${GET_MESH_USAGE}\n`),
    );
    expect(await kumactl(["get", "meshes", "extra"])).toEqual(
      failed(`Error: unknown command "extra" for "kumactl get meshes"\n${GET_MESHES_USAGE}\n`),
    );
  });

  it("rejects an unknown log level without usage", async () => {
    expect(await kumactl(["get", "meshes", "--log-level", "trace"])).toEqual(
      failed(`Error: unknown log level "trace"\n`),
    );
    expect(await kumactl(["version", "--log-level=verbose"])).toEqual(
      failed(`Error: unknown log level "verbose"\n`),
    );
  });
});

describe("version", () => {
  it("prints the package version on stderr", async () => {
    const { version } = JSON.parse(
      await readFile(new URL("../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    expect(await kumactl(["version"])).toEqual({ stdout: "", stderr: `${version}\n`, code: 0 });
    expect(await kumactl(["version", "-a", "--log-level", "debug"])).toEqual({
      stdout: "",
      stderr: `Version:    ${version}\nGit Tag:    unknown\nGit Commit: unknown\nBuild Date: unknown\n`,
      code: 0,
    });
  });
});
