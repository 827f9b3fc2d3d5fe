/**
 * The kumactl program: `createProgram(deps)` builds the commander tree,
 * `runKumactl(argv, deps)` runs it and is the one place where errors become
 * `Error: ...` lines and exit statuses (kumactl.md §1, §4).
 */
import { CommanderError } from "commander";
import { ApiError, NetworkError } from "@kuma-ts/client";
import { MeshType } from "@kuma-ts/model";
import { KumactlCommand } from "./command.js";
import { filePaths, namesOf, oneOf } from "./completion/completions.js";
import { COMPLETE_COMMAND, renderCompletions } from "./completion/complete.js";
import { addApplyCommand } from "./commands/apply.js";
import { addCompletionCommands } from "./commands/completion.js";
import { addConfigCommands } from "./commands/config.js";
import { defineCommand } from "./commands/define.js";
import { addDeleteCommand } from "./commands/delete.js";
import { addGetCommands } from "./commands/get.js";
import { addInspectCommands } from "./commands/inspect.js";
import { addTokenCommands } from "./commands/tokens.js";
import { addVersionCommand } from "./commands/version.js";
import {
  CliError,
  RequestFailedError,
  UnknownCommandError,
  UsageError,
  commandPath,
} from "./errors.js";
import { stringFlag } from "./flags.js";
import { renderHelp, renderUsage } from "./help.js";
import { LOG_LEVELS, type KumactlDependencies } from "./run-context.js";

export type { KumactlDependencies, TextSink } from "./run-context.js";

/**
 * Builds the kumactl command tree. It never exits: commander's exits are
 * turned into CommanderErrors (`exitOverride`) that runKumactl handles.
 */
export function createProgram(deps: KumactlDependencies): KumactlCommand {
  const root = new KumactlCommand("kumactl");
  root
    .summary("Management tool for Kuma")
    .description("Management tool for Kuma.")
    .helpOption("-h, --help", "help for kumactl")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: (text) => deps.stderr.write(text),
      outputError: () => undefined,
    })
    .configureHelp({ formatHelp: (command) => renderHelp(command) })
    .allowExcessArguments()
    .action(() => {
      if (root.args.length > 0) throw new UnknownCommandError(root.args[0]!, root);
      deps.stdout.write(renderHelp(root));
    });
  stringFlag(root, {
    long: "config-file",
    usage: "path to the configuration file to use",
    complete: filePaths,
  });
  stringFlag(root, {
    short: "m",
    long: "mesh",
    usage: "mesh to use",
    defaultValue: "default",
    complete: namesOf(MeshType),
  });
  stringFlag(root, {
    long: "log-level",
    usage: "log level: one of off|info|debug",
    defaultValue: "off",
    complete: oneOf(LOG_LEVELS),
  });

  addApplyCommand(root, deps);
  addCompletionCommands(root, deps);
  addConfigCommands(root, deps);
  addDeleteCommand(root, deps);
  addGetCommands(root, deps);
  addInspectCommands(root, deps);
  addTokenCommands(root, deps);
  addVersionCommand(root, deps);
  addHelpCommand(root, deps);
  return root;
}

/** cobra's `help [command]`. */
function addHelpCommand(root: KumactlCommand, deps: KumactlDependencies): void {
  const help = defineCommand(root, {
    name: "help",
    use: "[command]",
    short: "Help about any command",
    long: "Help provides help for any command in the application.\nSimply type kumactl help [path to command] for full details.",
  });
  help.action(() => {
    let target: KumactlCommand = root;
    for (const name of help.args) {
      const next = target.commands.find((c) => c.name() === name) as KumactlCommand | undefined;
      if (!next) {
        deps.stderr.write(`Unknown help topic [\`${help.args.join(" ")}\`]\n${renderUsage(root)}`);
        return;
      }
      target = next;
    }
    deps.stdout.write(renderHelp(target));
  });
}

/** Runs kumactl with the arguments after the program name; resolves to the exit status. */
export async function runKumactl(
  argv: readonly string[],
  deps: KumactlDependencies,
): Promise<number> {
  // cobra's hidden `__complete`: not a commander command, because its words are a partial
  // command line to read, not flags to parse.
  if (argv[0] === COMPLETE_COMMAND) {
    deps.stdout.write(await renderCompletions(createProgram(deps), argv.slice(1), deps));
    return 0;
  }
  try {
    await createProgram(deps).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (
      error instanceof CommanderError &&
      (error.code === "commander.helpDisplayed" || error.code === "commander.help")
    ) {
      return 0;
    }
    deps.stderr.write(describeError(error));
    return 1;
  }
}

/** The text kumactl prints for a failure: `Error: ...`, then usage or the server's causes when they apply. */
function describeError(error: unknown): string {
  if (error instanceof UnknownCommandError) {
    return `Error: ${error.message}\nRun '${commandPath(error.command)} --help' for usage.\n`;
  }
  if (error instanceof UsageError)
    return `Error: ${error.message}\n${renderUsage(error.command)}\n`;
  if (error instanceof RequestFailedError) {
    const failure = error.failure;
    if (failure instanceof ApiError && failure.isKumaError) {
      const causes = failure.causes.map((cause) => `\n* ${cause.field}: ${cause.message}`).join("");
      return `Error: ${failure.title} (${failure.details})${causes}\n`;
    }
    if (failure instanceof NetworkError) {
      const { name, url } = error.controlPlane;
      return (
        `Error: ${error.message}\n` +
        `The Control Plane ${JSON.stringify(name)} at ${url} did not answer. ` +
        "Check its address with `kumactl config control-planes list`.\n"
      );
    }
    return `Error: ${error.message}\n`;
  }
  if (error instanceof CliError) return `Error: ${error.message}\n`;
  if (error instanceof CommanderError) return `Error: ${error.message.replace(/^error: /, "")}\n`;
  // A bug: still no stack trace, but the message.
  return `Error: ${error instanceof Error ? error.message : String(error)}\n`;
}
