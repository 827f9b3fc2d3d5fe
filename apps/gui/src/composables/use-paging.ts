/** The paging of a list page, held in the URL (`size`, `offset`); Previous uses an in-memory stack of offsets. */
import { computed, type ComputedRef } from "vue";
import { useRoute, useRouter, type LocationQuery } from "vue-router";

export const PAGE_SIZES = [10, 25, 50, 100] as const;

/** The offsets visited before the current one, per list path: lost on reload, as gui.md §3 says. */
const previousOffsets = new Map<string, (string | undefined)[]>();

export interface Paging {
  readonly size: ComputedRef<number>;
  readonly offset: ComputedRef<string | undefined>;
  readonly canGoBack: ComputedRef<boolean>;
  next(offset: string): void;
  previous(): void;
  first(): void;
  setSize(size: number): void;
}

const single = (value: LocationQuery[string] | undefined): string | undefined =>
  (Array.isArray(value) ? value[0] : value) ?? undefined;

/** The page size of a query: one of the offered sizes, else `defaultSize`. */
export function sizeOf(query: LocationQuery, defaultSize: number): number {
  const size = Number(single(query.size));
  return (PAGE_SIZES as readonly number[]).includes(size) ? size : defaultSize;
}

export const offsetOf = (query: LocationQuery): string | undefined =>
  single(query.offset) || undefined;

export function usePaging(defaultSize: number): Paging {
  const route = useRoute();
  const router = useRouter();
  const stack = (): (string | undefined)[] => {
    let found = previousOffsets.get(route.path);
    if (!found) previousOffsets.set(route.path, (found = []));
    return found;
  };
  const offset = computed(() => offsetOf(route.query));
  const go = (query: Record<string, string | undefined>) =>
    void router.push({ query: { ...route.query, ...query } });
  return {
    size: computed(() => sizeOf(route.query, defaultSize)),
    offset,
    // Read the stack through the route so that the button updates with each move.
    canGoBack: computed(
      () => route.fullPath !== "" && offset.value !== undefined && stack().length > 0,
    ),
    next(nextOffset) {
      stack().push(offset.value);
      go({ offset: nextOffset });
    },
    previous() {
      go({ offset: stack().pop() });
    },
    first() {
      previousOffsets.delete(route.path);
      go({ offset: undefined });
    },
    setSize(size) {
      previousOffsets.delete(route.path);
      go({ size: String(size), offset: undefined });
    },
  };
}
