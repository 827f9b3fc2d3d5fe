import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// These tests start real servers and run npm; a loaded CI machine needs more than the 5 s default.
export default mergeConfig(sharedConfig, { test: { testTimeout: 30_000, hookTimeout: 60_000 } });
