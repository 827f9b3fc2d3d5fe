/**
 * Flags with kumactl's (pflag's) types, values and messages: `string`,
 * `int` (strconv messages), `stringToString` (`k=v,k2=v2`, repeatable) and
 * booleans. The type and default of each flag are kept for the help text.
 */
import { Option, type Command } from "commander";
import type { Completion } from "./completion/completions.js";
import { UsageError } from "./errors.js";

/** pflag's name of a flag's value type, shown in help (`--size int`). */
export type FlagKind = "string" | "int" | "stringToString" | "stringArray" | "bool";

/** What the help text shows of a flag besides its names and usage. */
export interface FlagInfo {
  readonly kind: FlagKind;
  /** `(default "off")`, `(default [])`; absent for zero defaults. */
  readonly defaultText?: string;
  /** What the flag's value completes to in the shell; nothing when absent. */
  readonly complete?: Completion;
}

const flagInfo = new WeakMap<Option, FlagInfo>();

/** The type and default of a flag made here (a bool without default otherwise). */
export function infoOf(option: Option): FlagInfo {
  return flagInfo.get(option) ?? { kind: "bool" };
}

interface FlagSpec {
  readonly long: string;
  readonly short?: string;
  readonly usage: string;
  readonly complete?: Completion;
}

/** Creates, configures and then adds a flag (commander reads defaults when the option is added). */
function define(
  command: Command,
  spec: FlagSpec,
  valueName: string | undefined,
  info: FlagInfo,
  configure: (option: Option) => void = () => undefined,
): void {
  const names = `${spec.short ? `-${spec.short}, ` : ""}--${spec.long}${valueName ? ` <${valueName}>` : ""}`;
  const option = new Option(names, spec.usage);
  flagInfo.set(option, spec.complete ? { ...info, complete: spec.complete } : info);
  configure(option);
  command.addOption(option);
}

/** How pflag names a flag in messages: `"--size"` or `"-v, --var"`. */
function flagName(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.long}` : `--${spec.long}`;
}

function invalidArgument(
  command: Command,
  spec: FlagSpec,
  value: string,
  reason: string,
): UsageError {
  return new UsageError(
    `invalid argument ${JSON.stringify(value)} for ${JSON.stringify(flagName(spec))} flag: ${reason}`,
    command,
  );
}

/** A string flag. */
export function stringFlag(
  command: Command,
  spec: FlagSpec & { readonly defaultValue?: string },
): void {
  const info: FlagInfo = {
    kind: "string",
    ...(spec.defaultValue ? { defaultText: JSON.stringify(spec.defaultValue) } : {}),
  };
  define(command, spec, "string", info, (option) => {
    if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  });
}

/** An integer flag (0 by default). */
export function intFlag(command: Command, spec: FlagSpec): void {
  define(command, spec, "int", { kind: "int" }, (option) =>
    option.default(0).argParser((value: string) => {
      if (!/^[+-]?\d+$/.test(value)) {
        throw invalidArgument(
          command,
          spec,
          value,
          `strconv.ParseInt: parsing ${JSON.stringify(value)}: invalid syntax`,
        );
      }
      const parsed = Number(value);
      if (!Number.isSafeInteger(parsed)) {
        throw invalidArgument(
          command,
          spec,
          value,
          `strconv.ParseInt: parsing ${JSON.stringify(value)}: value out of range`,
        );
      }
      return parsed;
    }),
  );
}

/** A repeatable `key=value` flag (pflag's stringToString): `--tag a=b --tag c=d` or `--tag a=b,c=d`. */
export function keyValueFlag(command: Command, spec: FlagSpec): void {
  define(command, spec, "stringToString", { kind: "stringToString", defaultText: "[]" }, (option) =>
    option.default({}).argParser((value: string, previous: Record<string, string>) => {
      const pairs = value.split("=").length - 1 === 1 ? [trimQuotes(value)] : splitCsv(value);
      if (!value.includes("="))
        throw invalidArgument(command, spec, value, `${value} must be formatted as key=value`);
      const parsed: Record<string, string> = { ...previous };
      for (const pair of pairs) {
        const at = pair.indexOf("=");
        if (at === -1)
          throw invalidArgument(command, spec, value, `${pair} must be formatted as key=value`);
        parsed[pair.slice(0, at)] = pair.slice(at + 1);
      }
      return parsed;
    }),
  );
}

/** A repeatable string flag (pflag's stringArray): `--group a --group b`. */
export function stringArrayFlag(command: Command, spec: FlagSpec): void {
  define(command, spec, "stringArray", { kind: "stringArray", defaultText: "[]" }, (option) =>
    option.default([]).argParser((value: string, previous: string[]) => [...previous, value]),
  );
}

/** A boolean flag. */
export function boolFlag(command: Command, spec: FlagSpec): void {
  define(command, spec, undefined, { kind: "bool" });
}

function trimQuotes(value: string): string {
  return value.replace(/^"+|"+$/g, "");
}

/** One CSV record, as Go's encoding/csv reads it (double quotes group, `""` escapes a quote). */
function splitCsv(line: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        field += char;
      }
    } else if (char === '"' && field === "") {
      quoted = true;
    } else if (char === ",") {
      fields.push(field);
      field = "";
    } else {
      field += char;
    }
  }
  fields.push(field);
  return fields;
}
