import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const SRC = fileURLToPath(new URL(".", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test-support" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

it("imports nothing Node-only, so the client runs wherever fetch does", () => {
  const offenders = sourceFiles(SRC).filter((file) =>
    /from\s+["']node:|require\(["']node:/.test(readFileSync(file, "utf8")),
  );
  expect(offenders.map((file) => relative(SRC, file))).toEqual([]);
});
