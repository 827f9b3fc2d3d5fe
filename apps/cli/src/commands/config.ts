/** `kumactl config view` and `kumactl config control-planes add|list|switch|remove`. */
import { ApiError, InvalidResponseError, NetworkError } from "@kuma-ts/client";
import type { KumactlCommand } from "../command.js";
import { CliError } from "../errors.js";
import { boolFlag, keyValueFlag, stringFlag } from "../flags.js";
import { renderConfig } from "../kumactl-config/config-file.js";
import {
  addControlPlane,
  currentControlPlane,
  removeControlPlane,
  switchContext,
  type ControlPlane,
  type ControlPlaneTls,
} from "../kumactl-config/config.js";
import { renderTable } from "../output/table.js";
import type { KumactlDependencies, RunContext } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";

/** How long the reachability check of `add` waits. */
const REACHABILITY_TIMEOUT_MS = 5000;

const NAME_USAGE = "reference name for the Control Plane (required)";

export function addConfigCommands(root: KumactlCommand, deps: KumactlDependencies): void {
  const config = defineGroup(root, deps, {
    name: "config",
    short: "Manage kumactl config",
    long: "Manage kumactl config.",
  });

  const view = defineCommand(config, {
    name: "view",
    short: "Show kumactl config",
    long: "Show kumactl config.",
  });
  onRun(view, deps, { args: "none" }, async (context) => {
    // Tokens are credentials: shown redacted.
    const config = await context.loadConfig();
    const redacted = {
      ...config,
      controlPlanes: config.controlPlanes.map((cp) =>
        cp.auth
          ? { ...cp, auth: { ...cp.auth, conf: Object.fromEntries(Object.keys(cp.auth.conf).map((key) => [key, "*****"])) } }
          : cp,
      ),
    };
    context.err(await renderConfig(redacted));
  });

  const controlPlanes = defineGroup(config, deps, {
    name: "control-planes",
    short: "Manage known Control Planes",
    long: "Manage known Control Planes.",
  });

  const list = defineCommand(controlPlanes, {
    name: "list",
    short: "List Control Planes",
    long: "List Control Planes.",
  });
  onRun(list, deps, { args: "none" }, async (context) => {
    const current = await context.loadConfig();
    const active = currentControlPlane(current);
    const rows = current.controlPlanes.map((cp) => [
      "name" in active && active.name === cp.name ? "*" : "",
      cp.name,
      cp.url,
    ]);
    context.out(renderTable(["ACTIVE", "NAME", "ADDRESS"], rows));
  });

  const add = defineCommand(controlPlanes, {
    name: "add",
    short: "Add a Control Plane",
    long: "Add a Control Plane.",
  });
  stringFlag(add, { long: "name", usage: NAME_USAGE });
  stringFlag(add, { long: "address", usage: "URL of the Control Plane API Server (required)" });
  boolFlag(add, {
    long: "overwrite",
    usage: "overwrite existing Control Plane with the same reference name",
  });
  stringFlag(add, { long: "auth-type", usage: "authentication type of the Control Plane API Server: tokens" });
  keyValueFlag(add, { long: "auth-conf", usage: "authentication configuration, for tokens: token=YOUR_TOKEN" });
  stringFlag(add, { long: "ca-cert-file", usage: "path to the CA certificate of the Control Plane API Server (https)" });
  stringFlag(add, { long: "client-cert-file", usage: "path to a client certificate for the Control Plane API Server (https)" });
  stringFlag(add, { long: "client-key-file", usage: "path to the key of the client certificate" });
  boolFlag(add, { long: "skip-verify", usage: "do not verify the certificate of the Control Plane API Server (insecure)" });
  stringFlag(add, {
    long: "admin-client-cert",
    usage: "path to certificate of a client that is authorized to use Admin Server",
  });
  stringFlag(add, {
    long: "admin-client-key",
    usage: "path to certificate key of a client that is authorized to use Admin Server",
  });
  onRun(add, deps, { args: "none" }, async (context) => {
    const flags = add.opts<{
      name?: string;
      address?: string;
      overwrite?: boolean;
      adminClientCert?: string;
      adminClientKey?: string;
      authType?: string;
      authConf?: Record<string, string>;
      caCertFile?: string;
      clientCertFile?: string;
      clientKeyFile?: string;
      skipVerify?: boolean;
    }>();
    requireFlags(flags, ["name", "address"]);
    const name = flags.name!;
    const address = flags.address!;
    if (name === "")
      throw new CliError("Control Plane configuration is not valid: the name cannot be empty");
    if (!isAbsoluteHttpUrl(address)) {
      throw new CliError(
        `Control Plane configuration is not valid: API Server URL ${JSON.stringify(address)} must be an absolute http or https URL`,
      );
    }
    const auth = authOf(flags.authType, flags.authConf ?? {});
    const tls: ControlPlaneTls = {
      ...(flags.caCertFile ? { caCertFile: flags.caCertFile } : {}),
      ...(flags.clientCertFile ? { clientCertFile: flags.clientCertFile } : {}),
      ...(flags.clientKeyFile ? { clientKeyFile: flags.clientKeyFile } : {}),
      ...(flags.skipVerify ? { skipVerify: true } : {}),
    };
    const controlPlane: ControlPlane = {
      name,
      url: address,
      ...(auth ? { auth } : {}),
      ...(Object.keys(tls).length > 0 ? { tls } : {}),
      ...(flags.adminClientCert !== undefined || flags.adminClientKey !== undefined
        ? {
            credentials: {
              ...(flags.adminClientCert !== undefined && { clientCert: flags.adminClientCert }),
              ...(flags.adminClientKey !== undefined && { clientKey: flags.adminClientKey }),
            },
          }
        : {}),
    };
    await checkReachable(context, controlPlane);
    const updated = addControlPlane(
      await context.loadConfig(),
      controlPlane,
      flags.overwrite ?? false,
    );
    if (!updated) {
      throw new CliError(
        `Control Plane with name ${JSON.stringify(name)} already exists. Use --overwrite to replace an existing one.`,
      );
    }
    await context.saveConfig(updated);
    context.err(
      `added Control Plane ${JSON.stringify(name)}\nswitched active Control Plane to ${JSON.stringify(name)}\n`,
    );
  });

  const remove = defineCommand(controlPlanes, {
    name: "remove",
    short: "Remove a Control Plane",
    long: "Remove a Control Plane.",
  });
  stringFlag(remove, { long: "name", usage: NAME_USAGE });
  onRun(remove, deps, { args: "none" }, async (context) => {
    const { name } = remove.opts<{ name?: string }>();
    requireFlags({ name }, ["name"]);
    const updated = removeControlPlane(await context.loadConfig(), name!);
    if (!updated) throw new CliError(`there is no Control Plane with name ${JSON.stringify(name)}`);
    await context.saveConfig(updated);
    context.err(`removed Control Plane ${JSON.stringify(name)}\n`);
    context.err(
      updated.currentContext !== ""
        ? `switched active Control Plane to ${JSON.stringify(updated.currentContext)}\n`
        : "there is no active Control Plane left. Use `kumactl config control-planes add` to add a Control Plane and make it active\n",
    );
  });

  const switchCommand = defineCommand(controlPlanes, {
    name: "switch",
    short: "Switch active Control Plane",
    long: "Switch active Control Plane.",
  });
  stringFlag(switchCommand, { long: "name", usage: NAME_USAGE });
  onRun(switchCommand, deps, { args: "none" }, async (context) => {
    const { name } = switchCommand.opts<{ name?: string }>();
    requireFlags({ name }, ["name"]);
    const updated = switchContext(await context.loadConfig(), name!);
    if (!updated) throw new CliError(`there is no Control Plane with name ${JSON.stringify(name)}`);
    await context.saveConfig(updated);
    context.err(`switched active Control Plane to ${JSON.stringify(name)}\n`);
  });
}

/** cobra's check of required flags: every missing one, sorted, in one message. */
function requireFlags(values: Record<string, unknown>, required: readonly string[]): void {
  const missing = required.filter((flag) => values[flag] === undefined).sort();
  if (missing.length > 0) {
    throw new CliError(
      `required flag(s) ${missing.map((flag) => JSON.stringify(flag)).join(", ")} not set`,
    );
  }
}

function isAbsoluteHttpUrl(address: string): boolean {
  try {
    const url = new URL(address);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/** GETs the address as given: it must answer 2xx with a JSON body whose tagline is `Kuma`. */
/** `--auth-type tokens --auth-conf token=…`, checked (auth.md §5). */
function authOf(type: string | undefined, conf: Record<string, string>): ControlPlane["auth"] {
  if (type === undefined || type === "") {
    if (Object.keys(conf).length > 0) throw new CliError("--auth-conf needs --auth-type tokens");
    return undefined;
  }
  if (type !== "tokens") throw new CliError(`unsupported auth type ${JSON.stringify(type)}: the only one is tokens`);
  if (!conf.token) throw new CliError("provide token=YOUR_TOKEN");
  return { type, conf: { token: conf.token } };
}

async function checkReachable(context: RunContext, controlPlane: ControlPlane): Promise<void> {
  const client = await context.clientOf(controlPlane, { timeoutMs: REACHABILITY_TIMEOUT_MS });
  let tagline: string;
  try {
    tagline = (await client.index()).tagline;
  } catch (error) {
    if (error instanceof NetworkError) {
      throw new CliError(`could not connect to the Control Plane API Server: ${error.message}`);
    }
    if (error instanceof ApiError) throw new CliError("Control Plane API Server is not responding");
    if (error instanceof InvalidResponseError) {
      throw new CliError("provided address is not valid Kuma Control Plane API Server");
    }
    throw error;
  }
  if (tagline !== "Kuma")
    throw new CliError("provided address is not valid Kuma Control Plane API Server");
}
