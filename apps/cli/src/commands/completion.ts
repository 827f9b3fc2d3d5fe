/** `kumactl completion bash|zsh|fish`: the shell completion scripts. */
import type { KumactlCommand } from "../command.js";
import { completionScripts } from "../completion/scripts.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";

/** How to enable each script, shown in its help. */
const ENABLE: Record<keyof typeof completionScripts, string> = {
  bash: `To load completions in the current shell:

  source <(kumactl completion bash)

To load them in every new shell:

  echo 'source <(kumactl completion bash)' >> ~/.bashrc`,
  zsh: `To load completions in the current shell (compinit must have run):

  source <(kumactl completion zsh)

To load them in every new shell:

  echo 'autoload -U compinit && compinit' >> ~/.zshrc
  echo 'source <(kumactl completion zsh)' >> ~/.zshrc`,
  fish: `To load completions in the current shell:

  kumactl completion fish | source

To load them in every new shell:

  kumactl completion fish > ~/.config/fish/completions/kumactl.fish`,
};

export function addCompletionCommands(root: KumactlCommand, deps: KumactlDependencies): void {
  const completion = defineGroup(root, deps, {
    name: "completion",
    short: "Output shell completion code for bash, fish or zsh",
    long: "Output shell completion code for bash, fish or zsh: commands, flags, resource types, and the names of resources on the current Control Plane.",
  });
  for (const shell of Object.keys(completionScripts) as (keyof typeof completionScripts)[]) {
    const command = defineCommand(completion, {
      name: shell,
      short: `Output shell completions for ${shell}`,
      long: `Output shell completions for ${shell}.\n\n${ENABLE[shell]}`,
    });
    onRun(command, deps, { args: "none", loadsConfig: false }, (context) =>
      context.out(completionScripts[shell]),
    );
  }
}
