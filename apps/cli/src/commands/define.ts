/**
 * How kumactl commands are declared: a name, cobra's `Short`/`Long` texts,
 * an argument rule, and a handler that runs with a RunContext once the
 * arguments, the log level and (for most commands) the configuration are
 * checked — in cobra's order.
 */
import type { KumactlCommand } from "../command.js";
import type { ArgumentCompletion } from "../completion/completions.js";
import { UnknownCommandError, UsageError } from "../errors.js";
import { renderHelp } from "../help.js";
import { RunContext, type KumactlDependencies } from "../run-context.js";

/** The texts of a command. */
export interface CommandSpec {
  readonly name: string;
  /** The arguments part of the usage line (`TYPE NAME`). */
  readonly use?: string;
  /** What each of those arguments completes to in the shell (`[namesOf(DataplaneType)]`). */
  readonly completeArgs?: readonly ArgumentCompletion[];
  /** One line, shown in the parent's command list. */
  readonly short: string;
  /** Shown at the top of the command's help. */
  readonly long: string;
}

/** How many positional arguments a command takes. */
export type ArgumentRule = { readonly exactly: number } | "none";

/** Adds a subcommand with cobra-style help. */
export function defineCommand(parent: KumactlCommand, spec: CommandSpec): KumactlCommand {
  const command = parent
    .command(spec.name)
    .summary(spec.short)
    .description(spec.long)
    .helpOption("-h, --help", `help for ${spec.name}`)
    .allowExcessArguments();
  command.useArgs = spec.use ?? "";
  command.completeArgs = spec.completeArgs ?? [];
  return command;
}

/** A command that only holds subcommands: run bare it prints its help (stdout, exit 0). */
export function defineGroup(
  parent: KumactlCommand,
  deps: KumactlDependencies,
  spec: CommandSpec,
): KumactlCommand {
  const group = defineCommand(parent, spec);
  group.action(() => {
    if (group.args.length > 0) throw new UnknownCommandError(group.args[0]!, group);
    deps.stdout.write(renderHelp(group));
  });
  return group;
}

/** Options of a handler. */
export interface RunOptions {
  readonly args: ArgumentRule;
  /** Whether the configuration is read before the handler (false for `version`). */
  readonly loadsConfig?: boolean;
}

/** Sets what a command does. */
export function onRun(
  command: KumactlCommand,
  deps: KumactlDependencies,
  options: RunOptions,
  handler: (context: RunContext, args: readonly string[]) => Promise<void> | void,
): void {
  command.action(async () => {
    const args = command.args;
    if (options.args === "none") {
      if (args.length > 0)
        throw new UsageError(new UnknownCommandError(args[0]!, command).message, command);
    } else if (args.length !== options.args.exactly) {
      throw new UsageError(
        `accepts ${options.args.exactly} arg(s), received ${args.length}`,
        command,
      );
    }
    const context = new RunContext(deps, command);
    context.checkLogLevel();
    if (options.loadsConfig ?? true) await context.loadConfig();
    await handler(context, args);
  });
}
