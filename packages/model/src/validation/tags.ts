/** Reading tag maps (`{tag: value}`) in the way every validator needs. */
import { compareCodePoints } from "../codec/decode.js";

/** The tag every dataplane inbound and most selectors must carry. */
export const SERVICE_TAG = "service";

/** The tag that declares an inbound's protocol. */
export const PROTOCOL_TAG = "protocol";

/** The keys of a tag map in code-point order, so that causes come out in a stable order. */
export function sortedTagKeys(tags: Readonly<Record<string, string>> | undefined): string[] {
  return tags ? Object.keys(tags).sort(compareCodePoints) : [];
}

/** Whether the map has the tag as its own key (`"constructor"` must not count as present). */
export function hasTag(tags: Readonly<Record<string, string>> | undefined, key: string): boolean {
  return tags !== undefined && Object.hasOwn(tags, key);
}
