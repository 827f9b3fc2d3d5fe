/**
 * The configuration reference (docs/configuration.md), rendered from the
 * schema so that the documentation cannot drift from what `kuma-cp` reads.
 */
import type { TObject, TSchema } from "@sinclair/typebox";
import { formatGoDuration, parseDuration } from "../codec/duration.js";
import { configLeaves, type ConfigLeaf } from "./leaves.js";
import { ServerConfig } from "./schema.js";

const TOP_LEVEL = "Top level";

const INTRO = `# Configuration of \`kuma-cp run\`

<!-- Generated from the configuration schema (packages/model/src/config/schema.ts); do not edit.
     Regenerate with: UPDATE_DOCS=1 pnpm --filter @kuma-ts/model test -- reference -->

Settings are read in this order, each overriding the one before: built-in
defaults, the YAML file given with \`--config-file\`, environment variables.
An invalid value stops start-up with a message naming the key or variable
(exit status 1). Environment values: booleans \`true\`/\`false\`/\`1\`/\`0\`,
durations Go-style (\`5s\`, \`250ms\`, \`1m\`), integers in decimal, lists
comma-separated. Unknown keys in the YAML file are errors.

\`GET /config\` on the API shows the effective configuration with every
secret (🔒 below; for a URL, its password) replaced by \`*****\`.

Sections marked *display only* keep Kuma 0.4's layout and defaults for its
tools and for \`/catalog\`; this project runs no such server.
`;

/** The whole reference as Markdown. */
export function renderConfigReference(): string {
  const sections = new Map<string, ConfigLeaf[]>();
  for (const leaf of configLeaves) {
    const section = leaf.path.length === 1 ? TOP_LEVEL : leaf.path[0]!;
    sections.set(section, [...(sections.get(section) ?? []), leaf]);
  }
  const parts = [INTRO];
  for (const [section, leaves] of sections) {
    const schema =
      section === "(top level)"
        ? undefined
        : ServerConfig.properties[section as keyof typeof ServerConfig.properties];
    const note = (schema as { description?: string } | undefined)?.description;
    parts.push(
      `## ${section === TOP_LEVEL ? section : `\`${section}\``}${note ? `\n\n*${note}*` : ""}\n`,
    );
    parts.push("| key | default | environment variable | |\n|---|---|---|---|");
    for (const leaf of leaves) parts.push(row(leaf));
    parts.push("");
  }
  return parts.join("\n");
}

function row(leaf: ConfigLeaf): string {
  const { description, secret } = leaf.schema;
  const notes = [
    description,
    leaf.kind === "enum"
      ? `one of ${leaf.schema.enum?.map((v) => `\`${v}\``).join(", ")}`
      : undefined,
    nestedSectionNote(leaf),
  ].filter(Boolean);
  const text = `${secret ? "🔒 " : ""}${notes.join("; ")}`.replace(/\|/g, "\\|");
  const env = leaf.envVar === "" ? "n/a (YAML only)" : `\`${leaf.envVar}\``;
  return `| \`${leaf.key}\` | ${formatDefault(leaf)} | ${env} | ${text} |`;
}

/** The note of the section a leaf sits in below the top-level one (e.g. `store.postgres`). */
function nestedSectionNote(leaf: ConfigLeaf): string | undefined {
  let schema: TSchema = ServerConfig;
  let note: string | undefined;
  for (const [depth, name] of leaf.path.slice(0, -1).entries()) {
    schema = (schema as TObject).properties[name]!;
    if (depth > 0) note = (schema as { description?: string }).description ?? note;
  }
  return note;
}

function formatDefault(leaf: ConfigLeaf): string {
  const value = leaf.schema.default;
  if (leaf.kind === "duration")
    return `\`${formatGoDuration(parseDuration(String(value)) ?? 0n)}\``;
  if (typeof value === "string" && value.includes("\n")) return `\`${JSON.stringify(value)}\``;
  if (typeof value === "string") return value === "" ? `\`""\`` : `\`${value}\``;
  return `\`${JSON.stringify(value)}\``;
}
