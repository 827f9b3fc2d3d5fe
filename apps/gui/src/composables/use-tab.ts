/** The tab of a detail page, from `?tab=` (unknown values fall back to the first tab). */
import { computed, type ComputedRef } from "vue";
import { useRoute } from "vue-router";

export function useTab<T extends string>(tabs: readonly { id: T }[]): ComputedRef<T> {
  const route = useRoute();
  return computed(() => {
    const wanted = route.query.tab;
    return tabs.find((tab) => tab.id === wanted)?.id ?? tabs[0]!.id;
  });
}
