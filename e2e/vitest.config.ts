import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../vitest.shared.js";

// Every test spawns kuma-cp and redis-server processes and measures timings:
// one file at a time, so that files do not compete for the machine's cores.
export default mergeConfig(sharedConfig, {
  test: {
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
