/** The resource types kumactl has commands for, derived from the model's registry. */
import { resourceTypes, type AnyResourceType } from "@kuma-ts/model";

/** A registry entry with kumactl names. */
export type KumactlType = AnyResourceType & {
  readonly kumactl: { readonly singular: string; readonly plural: string };
};

/** Every type with kumactl names, in the registry's order. */
export const kumactlTypes: readonly KumactlType[] = resourceTypes.filter(
  (type): type is KumactlType => type.kumactl !== undefined,
);

/**
 * The types in the order kumactl lists them in messages: the registry's
 * order, with the members of one family (`traffic-*`) sorted by name.
 */
export function typesForMessages(): KumactlType[] {
  const family = (type: KumactlType) => type.kumactl.singular.split("-")[0]!;
  const firstOfFamily = new Map<string, number>();
  kumactlTypes.forEach((type, i) => {
    if (!firstOfFamily.has(family(type))) firstOfFamily.set(family(type), i);
  });
  return [...kumactlTypes].sort(
    (a, b) =>
      firstOfFamily.get(family(a))! - firstOfFamily.get(family(b))! ||
      (a.kumactl.singular < b.kumactl.singular
        ? -1
        : a.kumactl.singular > b.kumactl.singular
          ? 1
          : 0),
  );
}

/** The type kumactl calls `singular` (`traffic-route`), if any. */
export function typeBySingular(singular: string | undefined): KumactlType | undefined {
  return kumactlTypes.find((type) => type.kumactl.singular === singular);
}
