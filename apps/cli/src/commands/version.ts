/** `kumactl version [-a]` (stderr, as kumactl prints it). */
import type { KumactlCommand } from "../command.js";
import { boolFlag } from "../flags.js";
import { buildInfo } from "../build-info.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, onRun } from "./define.js";

export function addVersionCommand(root: KumactlCommand, deps: KumactlDependencies): void {
  const command = defineCommand(root, {
    name: "version",
    short: "Print version",
    long: "Print version.",
  });
  boolFlag(command, { short: "a", long: "detailed", usage: "Print detailed version" });
  onRun(command, deps, { args: "none", loadsConfig: false }, (context) => {
    const info = deps.buildInfo ?? buildInfo;
    if (!command.opts<{ detailed?: boolean }>().detailed) {
      context.err(`${info.version}\n`);
      return;
    }
    context.err(
      [
        `Version:    ${info.version}`,
        `Git Tag:    ${info.gitTag}`,
        `Git Commit: ${info.gitCommit}`,
        `Build Date: ${info.buildDate}`,
      ].join("\n") + "\n",
    );
  });
}
