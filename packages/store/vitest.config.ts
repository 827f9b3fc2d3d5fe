import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// Tests against real Redis start servers and clusters (seconds) and wait out command timeouts.
export default mergeConfig(sharedConfig, { test: { testTimeout: 30_000, hookTimeout: 60_000 } });
