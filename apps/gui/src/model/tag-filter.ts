/**
 * The dataplanes page's tag filter: `k:v k2:v2` typed by the operator,
 * `tag=k:v` parameters for the API (split on the first `:`, so values may
 * contain `:`; `*` matches any value of the key).
 */

/** What the operator typed, read. */
export interface ParsedTagFilter {
  readonly tags: Readonly<Record<string, string>>;
  /** Why the input cannot be sent as it is, or undefined when it can. */
  readonly problem: string | undefined;
}

/** Reads `k:v k2:v2`; terms without `:` (the API would silently ignore them) are a problem. */
export function parseTagFilter(input: string): ParsedTagFilter {
  const tags: Record<string, string> = {};
  for (const term of input.trim().split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(":");
    if (colon <= 0) return { tags, problem: `"${term}" is not key:value` };
    const key = term.slice(0, colon);
    if (Object.hasOwn(tags, key)) return { tags, problem: `the key "${key}" is given twice` };
    tags[key] = term.slice(colon + 1);
  }
  return { tags, problem: undefined };
}

/** The `tag` query values of a filter, in the order typed. */
export const tagParams = (tags: Readonly<Record<string, string>>): string[] =>
  Object.entries(tags).map(([key, value]) => `${key}:${value}`);

/** The filter from the URL's `tag` parameters (one or many). */
export function tagsFromQuery(
  raw: string | null | (string | null)[] | undefined,
): Record<string, string> {
  return parseTagFilter(
    [raw ?? []]
      .flat()
      .filter((v): v is string => typeof v === "string")
      .join(" "),
  ).tags;
}
