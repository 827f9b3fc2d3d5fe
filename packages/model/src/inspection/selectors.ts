/**
 * Kuma 0.4's matching rules (inspection.md §1, R2–R5): whether a selector
 * matches a tag map, whether it matches a dataplane, how specific it is,
 * and the order in which candidates are decided.
 */
import { compareCodePoints } from "../codec/decode.js";

/** A tag map: the tags of an inbound or a gateway, or the `match` of a selector. */
export type Tags = Readonly<Record<string, string>>;

/** The selector value that matches any value of the tag. */
export const WILDCARD = "*";

/** How specific a selector is (R4): how many of its values are exact, and how many are `*`. */
export interface Rank {
  readonly exact: number;
  readonly wildcard: number;
}

/**
 * R2: every key of the selector is a tag, with the same value or `*`.
 * Values are exact, case-sensitive strings; `*` counts only as a whole
 * value; `{}` matches anything.
 */
export function selectorMatches(selector: Tags, tags: Tags): boolean {
  for (const key of Object.keys(selector)) {
    if (!Object.hasOwn(tags, key)) return false;
    const value = selector[key];
    if (value !== WILDCARD && value !== tags[key]) return false;
  }
  return true;
}

/** R4: the rank of a selector. */
export function rankOf(selector: Tags): Rank {
  let wildcard = 0;
  const keys = Object.keys(selector);
  for (const key of keys) if (selector[key] === WILDCARD) wildcard++;
  return { exact: keys.length - wildcard, wildcard };
}

/** The rank of a source and a destination together (TrafficRoute, TrafficLog, HealthCheck). */
export function addRanks(a: Rank, b: Rank): Rank {
  return { exact: a.exact + b.exact, wildcard: a.wildcard + b.wildcard };
}

/** R4: positive when `a` ranks higher: more tags first, even wildcards, then more exact ones. */
export function compareRanks(a: Rank, b: Rank): number {
  return a.exact + a.wildcard - (b.exact + b.wildcard) || a.exact - b.exact;
}

/**
 * R5, as a sort order: the higher rank first; among equal ranks the lowest
 * name (code-point order, which is byte order in UTF-8). So the winner of a
 * list sorted with it is its first element.
 */
export function decisionOrder(
  a: { readonly name: string; readonly rank: Rank },
  b: { readonly name: string; readonly rank: Rank },
): number {
  return compareRanks(b.rank, a.rank) || compareCodePoints(a.name, b.name);
}

/**
 * R3: the best rank among the selectors that match one of the tag maps on
 * its own (an inbound's or the gateway's; tags are never pooled), or
 * undefined when none does.
 */
export function bestMatchingRank(
  selectors: readonly Tags[],
  tagSets: readonly Tags[],
): Rank | undefined {
  let best: Rank | undefined;
  for (const selector of selectors) {
    if (best !== undefined && compareRanks(rankOf(selector), best) <= 0) continue;
    if (tagSets.some((tags) => selectorMatches(selector, tags))) best = rankOf(selector);
  }
  return best;
}
