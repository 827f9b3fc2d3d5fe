/**
 * `kumactl __complete <words...>`: what the last word of a command line can
 * become. The scripts of `kumactl completion` call it on every TAB, as
 * cobra's do: commands and flags come from the program itself, resource
 * names from the current control plane. It never fails: a control plane
 * that does not answer or a broken configuration only means fewer
 * candidates.
 *
 * Output (cobra's protocol): one candidate per line, `word` or
 * `word<TAB>description`, then `:<directive>` — `:0` lets the shell complete
 * file names when there is no candidate, `:4` does not.
 */
import type { AnyResourceType } from "@kuma-ts/model";
import type { KumactlCommand } from "../command.js";
import { infoOf } from "../flags.js";
import { loadConfig } from "../kumactl-config/config-file.js";
import { currentControlPlane } from "../kumactl-config/config.js";
import { RunContext, type KumactlDependencies } from "../run-context.js";
import { flagsOf, scanArgs, takesValue, type ScannedArgs } from "../scan-args.js";
import type { Completion } from "./completions.js";

/** The hidden command the completion scripts call. */
export const COMPLETE_COMMAND = "__complete";

/** How long the control plane has to list names; completion must not hang a shell. */
const NAMES_TIMEOUT_MS = 1_000;
/** Names fetched per request (the API's largest page). */
const NAMES_PAGE_SIZE = 1_000;

const DIRECTIVE_FILES_WHEN_EMPTY = 0;
const DIRECTIVE_NO_FILES = 4;

/** A word the shell may put in place of the last one. */
export interface Candidate {
  readonly word: string;
  readonly description?: string;
}

/** The candidates, and whether the shell may complete file names instead. */
export interface Completions {
  readonly candidates: readonly Candidate[];
  readonly files: boolean;
}

const NOTHING: Completions = { candidates: [], files: false };

/** The text `kumactl __complete <words...>` prints; `words` ends with the word being completed (`""` after a space). */
export async function renderCompletions(
  program: KumactlCommand,
  words: readonly string[],
  deps: KumactlDependencies,
): Promise<string> {
  let completions = NOTHING;
  try {
    completions = await complete(program, words, deps);
  } catch {
    // Completion never reports errors: the shell would print them in the middle of the command line.
  }
  const lines = completions.candidates.map(({ word, description }) =>
    description ? `${word}\t${description}` : word,
  );
  const directive = completions.files ? DIRECTIVE_FILES_WHEN_EMPTY : DIRECTIVE_NO_FILES;
  return [...lines, `:${directive}`].join("\n") + "\n";
}

/** The candidates for the last word of `words`. */
async function complete(
  program: KumactlCommand,
  words: readonly string[],
  deps: KumactlDependencies,
): Promise<Completions> {
  const current = words.at(-1) ?? "";
  const scanned = scanArgs(program, words.slice(0, -1));
  const expand = (completion: Completion | undefined, partial: string, prefix = "") =>
    expandCompletion(completion, partial, prefix, scanned, deps);

  if (scanned.awaitingValue) return expand(infoOf(scanned.awaitingValue.option).complete, current);
  const equals = current.indexOf("=");
  if (current.startsWith("--") && equals !== -1) {
    const name = current.slice(0, equals);
    const flag = flagsOf(scanned.command).find(({ option }) => option.long === name);
    if (!flag || !takesValue(flag.option)) return NOTHING;
    return expand(infoOf(flag.option).complete, current.slice(equals + 1), `${name}=`);
  }
  if (current.startsWith("-")) return { candidates: flagNames(scanned, current), files: false };
  const subcommands = scanned.command.commands;
  if (scanned.operands.length === 0 && subcommands.length > 0) {
    const candidates = subcommands
      .map((command) => ({ word: command.name(), description: command.summary() }))
      .filter(({ word }) => word.startsWith(current))
      .sort((a, b) => (a.word < b.word ? -1 : a.word > b.word ? 1 : 0));
    return { candidates, files: false };
  }
  const declared = scanned.command.completeArgs[scanned.operands.length];
  return expand(typeof declared === "function" ? declared(scanned.operands) : declared, current);
}

/** The flags the command accepts that start with `partial`; one given already is left out unless it repeats (`--tag`). */
function flagNames(scanned: ScannedArgs, partial: string): Candidate[] {
  const given = new Set(scanned.flags.map((flag) => flag.option));
  const candidates: Candidate[] = [];
  for (const { option } of flagsOf(scanned.command)) {
    const repeatable = infoOf(option).kind === "stringToString" || infoOf(option).kind === "stringArray";
    if (given.has(option) && !repeatable) continue;
    for (const name of [option.long, option.short]) {
      if (name) candidates.push({ word: name, description: option.description });
    }
  }
  const help = `help for ${scanned.command.name()}`;
  candidates.push({ word: "--help", description: help }, { word: "-h", description: help });
  return candidates.filter(({ word }) => word.startsWith(partial));
}

async function expandCompletion(
  completion: Completion | undefined,
  partial: string,
  prefix: string,
  scanned: ScannedArgs,
  deps: KumactlDependencies,
): Promise<Completions> {
  if (!completion) return NOTHING;
  if (completion.kind === "files") return { candidates: [], files: true };
  const words =
    completion.kind === "words"
      ? completion.words.filter((word) => word.startsWith(partial))
      : await resourceNames(runContextOf(scanned, deps), completion.type, partial);
  return { candidates: words.map((word) => ({ word: prefix + word })), files: false };
}

/** A RunContext that sees the flags of the command line (`--mesh`, `--config-file`) as a run would. */
function runContextOf(scanned: ScannedArgs, deps: KumactlDependencies): RunContext {
  for (const { option, owner, value } of scanned.flags) {
    if (value !== undefined && infoOf(option).kind === "string") {
      owner.setOptionValue(option.attributeName(), value);
    }
  }
  return new RunContext(deps, scanned.command);
}

/** The names of a type's resources that start with `partial`, from the current control plane; none when it does not answer in time. */
async function resourceNames(
  context: RunContext,
  type: AnyResourceType,
  partial: string,
): Promise<string[]> {
  const names: string[] = [];
  try {
    const config = await loadConfig(context.configLocation(), { createMissing: false });
    const controlPlane = currentControlPlane(config);
    if ("problem" in controlPlane) return names;
    const client = context.newClient({ baseUrl: controlPlane.url, timeoutMs: NAMES_TIMEOUT_MS });
    const deadline = Date.now() + NAMES_TIMEOUT_MS;
    for await (const page of client
      .resources(type)
      .pages({ mesh: context.mesh, size: NAMES_PAGE_SIZE })) {
      for (const { name } of page.items) if (name.startsWith(partial)) names.push(name);
      if (Date.now() > deadline) break;
    }
  } catch {
    // What was fetched before the failure is still worth offering.
  }
  return names;
}
