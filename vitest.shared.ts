/**
 * Test settings shared by every package: workspace dependencies resolve to
 * their TypeScript sources (the `source` export condition), so tests never
 * run against a stale build of a sibling package.
 */
import { defineConfig } from "vitest/config";

export const sharedConfig = defineConfig({
  resolve: { conditions: ["source"] },
  ssr: { resolve: { conditions: ["source"] } },
  test: {
    include: ["src/**/*.test.ts"],
  },
});
