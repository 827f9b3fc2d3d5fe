/** The TAGS column: every tag of a dataplane's inbounds and gateway, merged per key. */
import { compareCodePoints, type DataplaneSpec } from "@kuma-ts/model";

/** Code point order is UTF-8 byte order, the order Go sorts strings in. */
const byteOrder = compareCodePoints;

/**
 * `service=metrics,mobile version=v1`: values per key de-duplicated, sorted
 * and joined with `,`; the `key=values` strings sorted and joined with a space.
 */
export function renderTags(spec: DataplaneSpec): string {
  const networking = spec.networking ?? {};
  const tagMaps = [
    ...(networking.inbound ?? []).map((inbound) => inbound?.tags),
    networking.gateway?.tags,
  ];
  const values = new Map<string, Set<string>>();
  for (const tags of tagMaps) {
    for (const [key, value] of Object.entries(tags ?? {})) {
      let set = values.get(key);
      if (!set) values.set(key, (set = new Set()));
      set.add(value);
    }
  }
  return [...values]
    .map(([key, set]) => `${key}=${[...set].sort(byteOrder).join(",")}`)
    .sort(byteOrder)
    .join(" ");
}
