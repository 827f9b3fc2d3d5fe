import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { configLeaves } from "./leaves.js";
import { renderConfigReference } from "./reference.js";

const DOC = fileURLToPath(new URL("../../../../docs/configuration.md", import.meta.url));

it("docs/configuration.md is the reference rendered from the schema", () => {
  const rendered = renderConfigReference();
  if (process.env.UPDATE_DOCS === "1") writeFileSync(DOC, rendered);
  expect(readFileSync(DOC, "utf8")).toBe(rendered);
});

it("the reference lists every setting with its variable", () => {
  const rendered = renderConfigReference();
  for (const leaf of configLeaves) expect(rendered).toContain(`| \`${leaf.key}\` |`);
  for (const leaf of configLeaves) {
    expect(rendered).toContain(leaf.envVar === "" ? `| \`${leaf.key}\` | \`[]\` | n/a (YAML only) |` : `\`${leaf.envVar}\``);
  }
});
