import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// Starting real servers and clusters takes seconds, not milliseconds.
export default mergeConfig(sharedConfig, { test: { testTimeout: 60_000, hookTimeout: 60_000 } });
