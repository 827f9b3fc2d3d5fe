/**
 * Entity tags and the conditional request headers of http-api.md §6. A
 * resource's ETag is its store version in double quotes.
 */

/** The ETag header value of a version. */
export const etagOf = (version: string): string => `"${version}"`;

/** A parsed `If-Match` / `If-None-Match` header. */
export interface EntityTagCondition {
  /** `*`: any current representation. */
  readonly any: boolean;
  readonly tags: readonly { readonly opaque: string; readonly weak: boolean }[];
}

const TAG = /^\s*(W\/)?"([^"]*)"\s*$/;

/** Parses a header value; undefined when absent or empty. Unparsable members never match. */
export function parseEntityTags(header: string | undefined): EntityTagCondition | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  if (header.trim() === "*") return { any: true, tags: [] };
  const tags: { opaque: string; weak: boolean }[] = [];
  for (const member of header.split(",")) {
    const match = TAG.exec(member);
    if (match) tags.push({ opaque: match[2]!, weak: match[1] !== undefined });
  }
  return { any: false, tags };
}

/** `If-Match`: strong comparison; a missing resource never matches. */
export function ifMatchHolds(condition: EntityTagCondition, version: string | undefined): boolean {
  if (version === undefined) return false;
  return condition.any || condition.tags.some((tag) => !tag.weak && tag.opaque === version);
}

/** `If-None-Match`: weak comparison; holds when nothing matches the current version. */
export function ifNoneMatchHolds(condition: EntityTagCondition, version: string | undefined): boolean {
  if (version === undefined) return true;
  return !(condition.any || condition.tags.some((tag) => tag.opaque === version));
}
