/** The scripts `kumactl completion <shell>` prints, kept as shell files (bundled as text). */
import bash from "./kumactl.bash?raw";
import fish from "./kumactl.fish?raw";
import zsh from "./kumactl.zsh?raw";

/** The shells kumactl completes in, and their scripts. */
export const completionScripts = { bash, zsh, fish } as const;
