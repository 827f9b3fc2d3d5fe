/**
 * The configuration as `/config` shows it: every secret replaced by `*****`
 * (derived from the schema's `secret` markers, never a hand-written list),
 * keys sorted at every level.
 */
import { configLeaves } from "./leaves.js";
import type { ServerConfig } from "./schema.js";

/** What a secret reads as. */
export const REDACTED = "*****";

/** A copy of the configuration with every secret redacted. */
export function redactConfig(config: ServerConfig): Record<string, unknown> {
  const copy = structuredClone(config) as unknown as Record<string, unknown>;
  for (const leaf of configLeaves) {
    if (!leaf.schema.secret) continue;
    const parent = leaf.path.slice(0, -1).reduce<Record<string, unknown>>(
      (node, name) => node[name] as Record<string, unknown>,
      copy,
    );
    const name = leaf.path[leaf.path.length - 1]!;
    parent[name] =
      leaf.schema.secret === "value" ? REDACTED : redactUrlPassword(String(parent[name]));
  }
  return copy;
}

/** `redis://user:secret@host:6379/0` → `redis://user:*****@host:6379/0`; unchanged without a password. */
export function redactUrlPassword(text: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^:@/]*):([^@/]*)@/.exec(text);
  return match ? `${match[1]}:${REDACTED}@${text.slice(match[0].length)}` : text;
}

/** The redacted configuration as compact JSON with keys sorted at every level. */
export function configToJson(config: ServerConfig): string {
  return JSON.stringify(sortKeys(redactConfig(config)));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
  );
}
