/**
 * A commander Command that reports parse errors the way cobra (and so Kuma's
 * kumactl) does: `unknown flag: --x`, `unknown shorthand flag: 'x' in -x`,
 * `flag needs an argument: --output`, `unknown command "x" for "kumactl"`.
 *
 * commander calls these hooks on the command being parsed; they are not part
 * of its typings, so they are plain methods here (commander is pinned to a
 * minor version, and the CLI tests cover every one of them).
 */
import { Command, type Option } from "commander";
import type { ArgumentCompletion } from "./completion/completions.js";
import { UnknownCommandError, UsageError } from "./errors.js";
import { scanArgs } from "./scan-args.js";

export class KumactlCommand extends Command {
  /** The arguments part of the usage line (`TYPE NAME`), like cobra's `Use` after the name. */
  useArgs = "";
  /** What each positional argument completes to in the shell, in order (see completion/completions.ts). */
  completeArgs: readonly ArgumentCompletion[] = [];

  override createCommand(name?: string): KumactlCommand {
    return new KumactlCommand(name);
  }

  /** commander hook: an option this command (and its parents) does not know. */
  unknownOption(flag: string): never {
    if (flag.startsWith("--")) throw new UsageError(`unknown flag: ${flag.split("=")[0]}`, this);
    throw new UsageError(`unknown shorthand flag: '${flag.charAt(1)}' in ${flag}`, this);
  }

  /** commander hook: a subcommand that does not exist. */
  unknownCommand(): never {
    throw new UnknownCommandError(this.args[0] ?? "", this);
  }

  /** commander hook: a flag that takes a value was the last argument. */
  optionMissingArgument(option: Option): never {
    // The flag without its value is necessarily the last argument; it says which spelling was used.
    const args = this.rootArgs();
    const last = args.at(-1) ?? "";
    const target = scanArgs(this.root(), args).command;
    if (last.startsWith("--") || !option.short) {
      throw new UsageError(`flag needs an argument: ${option.long ?? last}`, target);
    }
    throw new UsageError(`flag needs an argument: '${option.short.slice(1)}' in ${last}`, target);
  }

  private root(): KumactlCommand {
    return this.parent instanceof KumactlCommand ? this.parent.root() : this;
  }

  private rootArgs(): readonly string[] {
    return (this.root() as unknown as { rawArgs?: string[] }).rawArgs ?? [];
  }
}
