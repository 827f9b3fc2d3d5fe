/**
 * The selector rules shared by every policy (resources.md §3). A policy picks
 * a profile per selector list instead of re-stating the rules, so the order
 * of causes is the same everywhere.
 */
import { fieldPath } from "../codec/schema-walk.js";
import type { Cause } from "../errors.js";
import type { Selector } from "../resources/selector.js";
import { goQuote } from "./go-quote.js";
import { hasTag, SERVICE_TAG, sortedTagKeys } from "./tags.js";

/** Which selector rules apply to one list of selectors. */
export interface SelectorProfile {
  /** An empty list is reported as `must have at least one element`. */
  readonly requireSelector: boolean;
  /** An empty `match` is reported as `must have at least one tag`. */
  readonly requireTag: boolean;
  /** A `match` without `service` is reported as `mandatory tag "service" is missing`. */
  readonly requireService: boolean;
  /** `match` must be exactly `{"service": ...}`; any other key is `not allowed`. */
  readonly onlyService: boolean;
}

/** Destinations of most policies: one selector or more, each exactly `{"service": ...}`. */
export const ONLY_SERVICE: SelectorProfile = {
  requireSelector: true,
  requireTag: false,
  requireService: true,
  onlyService: true,
};

/** Sources of most policies: one selector or more, each with tags including `service`. */
export const SERVICE_REQUIRED: SelectorProfile = {
  requireSelector: true,
  requireTag: true,
  requireService: true,
  onlyService: false,
};

/** ProxyTemplate selectors: the list may be empty; each selector has tags including `service`. */
export const OPTIONAL_SERVICE_REQUIRED: SelectorProfile = { ...SERVICE_REQUIRED, requireSelector: false };

/** TrafficTrace selectors: one selector or more, each with at least one tag of any kind. */
export const TAGS_REQUIRED: SelectorProfile = { ...SERVICE_REQUIRED, requireService: false };

const SERVICE_QUOTED = goQuote(SERVICE_TAG);

/** Causes for a list of selectors at `path` (e.g. `sources`), in the order of resources.md §3. */
export function validateSelectors(
  path: string,
  selectors: readonly Selector[] | undefined,
  profile: SelectorProfile,
): Cause[] {
  const causes: Cause[] = [];
  if (profile.requireSelector && (selectors ?? []).length === 0) {
    causes.push({ field: path, message: "must have at least one element" });
  }
  (selectors ?? []).forEach((selector, i) => {
    causes.push(...validateTagSelector(fieldPath.field(fieldPath.index(path, i), "match"), selector.match, profile));
  });
  return causes;
}

/**
 * Causes for one tag map at `path`: a selector's `match`, or a TrafficRoute
 * destination. `requireSelector` does not apply to a single map.
 */
export function validateTagSelector(
  path: string,
  match: Readonly<Record<string, string>> | undefined,
  profile: SelectorProfile,
): Cause[] {
  const causes: Cause[] = [];
  const keys = sortedTagKeys(match);
  if (profile.requireTag && keys.length === 0) {
    causes.push({ field: path, message: "must have at least one tag" });
  }
  if (profile.onlyService && (keys.length !== 1 || keys[0] !== SERVICE_TAG)) {
    causes.push({ field: path, message: `must consist of exactly one tag ${SERVICE_QUOTED}` });
  }
  for (const key of keys) {
    const keyPath = fieldPath.key(path, key);
    if (key === "") causes.push({ field: path, message: "tag key must be non-empty" });
    if (profile.onlyService && key !== SERVICE_TAG) {
      causes.push({ field: keyPath, message: `tag ${goQuote(key)} is not allowed` });
    }
    if (match?.[key] === "") causes.push({ field: keyPath, message: "tag value must be non-empty" });
  }
  if (profile.requireService && !hasTag(match, SERVICE_TAG)) {
    causes.push({ field: path, message: `mandatory tag ${SERVICE_QUOTED} is missing` });
  }
  return causes;
}
