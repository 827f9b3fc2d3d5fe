import { mergeConfig } from "vitest/config";
import { sharedConfig } from "../../vitest.shared.js";

// Every suite starts real servers (and redis-server processes): allow for a busy 2-core CI machine.
export default mergeConfig(sharedConfig, {
  // contract-setup.ts checks every answer of a test server against GET /openapi.json's document.
  test: { testTimeout: 30_000, hookTimeout: 60_000, setupFiles: ["src/test-support/contract-setup.ts"] },
});
