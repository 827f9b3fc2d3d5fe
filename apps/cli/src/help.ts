/**
 * Help and usage texts in cobra's layout, so that kumactl reads the same as
 * the Go original: `Usage:`, `Available Commands:`, `Flags:` and
 * `Global Flags:` with pflag's column alignment.
 */
import type { Command, Option } from "commander";
import { KumactlCommand } from "./command.js";
import { commandPath } from "./errors.js";
import { infoOf } from "./flags.js";

/** cobra pads command names in listings to at least this width. */
const MIN_NAME_PADDING = 11;

/** What `--help` prints: the long description, then the usage. */
export function renderHelp(command: Command): string {
  const description = (command.description() || command.summary()).trimEnd();
  return `${description ? `${description}\n\n` : ""}${renderUsage(command)}`;
}

/** The usage block that also follows flag and argument errors. */
export function renderUsage(command: Command): string {
  const path = commandPath(command);
  const subcommands = [...command.commands].sort((a, b) =>
    a.name() < b.name() ? -1 : a.name() > b.name() ? 1 : 0,
  );
  const isGroup = subcommands.length > 0;
  let out = "Usage:";
  const useArgs = command instanceof KumactlCommand ? command.useArgs : "";
  if (!isGroup) out += `\n  ${[path, useArgs].filter(Boolean).join(" ")} [flags]`;
  if (isGroup) out += `\n  ${path} [command]`;
  if (isGroup) {
    const padding = Math.max(MIN_NAME_PADDING, ...subcommands.map((c) => c.name().length));
    out += "\n\nAvailable Commands:";
    for (const sub of subcommands) out += `\n  ${sub.name().padEnd(padding)} ${sub.summary()}`;
  }
  const local: FlagLine[] = [
    ...command.options.filter((o) => !o.hidden).map(flagLine),
    helpFlagLine(command),
  ];
  out += `\n\nFlags:\n${renderFlags(local)}`;
  const inherited: FlagLine[] = [];
  for (let parent = command.parent; parent; parent = parent.parent) {
    inherited.push(...parent.options.filter((o) => !o.hidden).map(flagLine));
  }
  if (inherited.length > 0) out += `\n\nGlobal Flags:\n${renderFlags(inherited)}`;
  if (isGroup) out += `\n\nUse "${path} [command] --help" for more information about a command.`;
  return `${out}\n`;
}

interface FlagLine {
  readonly name: string;
  readonly names: string;
  readonly usage: string;
}

function flagLine(option: Option): FlagLine {
  const info = infoOf(option);
  const name = (option.long ?? option.short ?? "").replace(/^-+/, "");
  const short = option.short ? `-${option.short.replace(/^-/, "")}, ` : "    ";
  const type = info.kind === "bool" ? "" : ` ${info.kind}`;
  const defaults = info.defaultText ? ` (default ${info.defaultText})` : "";
  return { name, names: `  ${short}--${name}${type}`, usage: `${option.description}${defaults}` };
}

function helpFlagLine(command: Command): FlagLine {
  return { name: "help", names: "  -h, --help", usage: `help for ${command.name()}` };
}

/** pflag's FlagUsages: sorted by name, usages aligned three spaces after the longest names column. */
function renderFlags(lines: FlagLine[]): string {
  const sorted = [...lines].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const width = Math.max(...sorted.map((line) => line.names.length));
  return sorted.map((line) => `${line.names.padEnd(width)}   ${line.usage}`.trimEnd()).join("\n");
}
