/**
 * The GUI's browser tests: Debian's Chromium, launched by its path (nothing
 * is downloaded), headless, one worker. Each test file starts a real
 * kuma-cp in-process (tests/harness).
 */
import { defineConfig } from "@playwright/test";

/** Where Chromium is: Debian's `chromium` package (packages/test-prerequisites installs it). */
const CHROMIUM = process.env.CHROMIUM_BIN ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests",
  testMatch: "*.spec.ts",
  fullyParallel: false,
  workers: 1,
  timeout: 60_000,
  expect: { timeout: 5000 },
  reporter: process.env.CI ? [["list"]] : [["list"]],
  outputDir: "test-results",
  use: {
    browserName: "chromium",
    headless: true,
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: CHROMIUM,
      // Root in a container has no user namespaces for Chromium's sandbox.
      args: ["--no-sandbox", "--disable-dev-shm-usage"],
    },
    trace: "off",
    screenshot: "only-on-failure",
  },
});
