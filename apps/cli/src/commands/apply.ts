/** `kumactl apply [-f FILE|DIR|URL|-] [-v key=value ...] [--dry-run]`. */
import { toWire } from "@kuma-ts/model";
import { checkDocuments, substituteVariables } from "../apply/documents.js";
import { readSources } from "../apply/sources.js";
import type { KumactlCommand } from "../command.js";
import { filePaths } from "../completion/completions.js";
import { CliError } from "../errors.js";
import { boolFlag, keyValueFlag, stringFlag } from "../flags.js";
import { renderYaml } from "../output/printers.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, onRun } from "./define.js";

export function addApplyCommand(root: KumactlCommand, deps: KumactlDependencies): void {
  const apply = defineCommand(root, {
    name: "apply",
    short: "Create or modify Kuma resources",
    long: "Create or modify Kuma resources.",
  });
  stringFlag(apply, {
    short: "f",
    long: "file",
    usage: "Path to file to apply",
    complete: filePaths,
  });
  keyValueFlag(apply, { short: "v", long: "var", usage: "Variable to replace in configuration" });
  boolFlag(apply, {
    long: "dry-run",
    usage: "Resolve variable and prints result out without actual applying",
  });

  onRun(apply, deps, { args: "none" }, async (context) => {
    const flags = apply.opts<{ file?: string; var: Record<string, string>; dryRun?: boolean }>();
    const sources = (await readSources(flags.file, deps)).map((source) => ({
      ...source,
      text: substituteVariables(source.text, flags.var),
    }));
    const { documents, errors } = await checkDocuments(sources);
    if (errors.length > 0) throw new CliError(errors.join("\n"));
    if (documents.length === 0) throw new CliError("no resource(s) passed to apply");

    if (flags.dryRun) {
      const rendered = await Promise.all(
        documents.map(({ resource }) => renderYaml(toWire(resource))),
      );
      context.out(rendered.join("---\n"));
      return;
    }
    for (const { type, resource } of documents) {
      await context.request(
        `failed to apply ${type.name} ${JSON.stringify(resource.name)}`,
        (client) => client.resources(type).put(resource as never),
      );
    }
  });
}
