/**
 * Reads a command line the way cobra walks it, without running anything:
 * which command the words name, its operands, and the flags given (with
 * their values). Used to find the command of a flag error and by
 * `kumactl __complete`.
 */
import type { Command, Option } from "commander";
import type { KumactlCommand } from "./command.js";

/** A flag found on the command line, with the command that defines it. */
export interface GivenFlag {
  readonly option: Option;
  readonly owner: Command;
  /** The value, for flags that take one (undefined when the line ends before it). */
  readonly value: string | undefined;
}

/** What a command line says. */
export interface ScannedArgs {
  readonly command: KumactlCommand;
  /** The positional arguments of that command. */
  readonly operands: readonly string[];
  readonly flags: readonly GivenFlag[];
  /** A flag that takes a value was the last word, so the next word is its value. */
  readonly awaitingValue: GivenFlag | undefined;
}

/** Scans the arguments after the program name, starting at `root`. */
export function scanArgs(root: KumactlCommand, args: readonly string[]): ScannedArgs {
  let command = root;
  const operands: string[] = [];
  const flags: GivenFlag[] = [];
  let awaitingValue: GivenFlag | undefined;
  for (const arg of args) {
    if (awaitingValue) {
      flags.push({ ...awaitingValue, value: arg });
      awaitingValue = undefined;
      continue;
    }
    const flag = arg.startsWith("-") && arg !== "-" ? readFlag(command, arg) : undefined;
    if (flag && takesValue(flag.option) && flag.value === undefined) {
      awaitingValue = flag;
    } else if (flag) {
      flags.push(flag);
    } else if (!arg.startsWith("-") || arg === "-") {
      const sub = operands.length === 0 && command.commands.find((c) => c.name() === arg);
      // Every subcommand is a KumactlCommand: KumactlCommand.createCommand makes them.
      if (sub) command = sub as KumactlCommand;
      else operands.push(arg);
    }
  }
  return { command, operands, flags, awaitingValue };
}

/** The flags a command accepts: its own, then its parents' (`-o` of `get`, the global ones). */
export function flagsOf(command: Command): { option: Option; owner: Command }[] {
  const found: { option: Option; owner: Command }[] = [];
  for (let c: Command | null = command; c; c = c.parent) {
    for (const option of c.options) found.push({ option, owner: c });
  }
  return found;
}

/** Whether a flag is followed by a value (`--mesh m`), unlike a boolean. */
export function takesValue(option: Option): boolean {
  return option.required || option.optional;
}

/** `--name`, `--name=value`, `-n`, `-nvalue`; undefined for a flag the command does not know. */
function readFlag(command: Command, arg: string): GivenFlag | undefined {
  if (arg.startsWith("--")) {
    const at = arg.indexOf("=");
    const name = at === -1 ? arg : arg.slice(0, at);
    const found = flagsOf(command).find(({ option }) => option.long === name);
    return found && { ...found, value: at === -1 ? undefined : arg.slice(at + 1) };
  }
  const found = flagsOf(command).find(({ option }) => option.short === arg.slice(0, 2));
  if (!found) return undefined;
  const attached = arg.slice(2);
  return { ...found, value: takesValue(found.option) && attached !== "" ? attached : undefined };
}
