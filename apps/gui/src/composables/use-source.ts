/**
 * A view's source: subscribed while the view shows it, read on first use,
 * switched when the key changes (another page, another filter).
 */
import {
  computed,
  onScopeDispose,
  shallowRef,
  watch,
  type ComputedRef,
  type ShallowRef,
} from "vue";
import { useApp } from "../app-context.js";
import type { SourceSpec } from "../api/sources-of.js";
import type { Source, SourceState } from "../data/source.js";

export interface UsedSource<T> {
  readonly source: ShallowRef<Source<T> | undefined>;
  readonly state: ComputedRef<SourceState<T> | undefined>;
  /** The data, or undefined while there is none. */
  readonly data: ComputedRef<T | undefined>;
  refresh(): Promise<void>;
  /** Makes sure a read sent from now on completes (`Source.readAfterNow`). */
  readAfterNow(): Promise<void>;
}

/** Uses the source `spec()` describes (none while it answers undefined). */
export function useSource<T>(spec: () => SourceSpec<T> | undefined): UsedSource<T> {
  const { sources } = useApp();
  const source = shallowRef<Source<T>>();
  const key = computed(() => spec()?.key);
  watch(
    key,
    (_key, _old, onCleanup) => {
      const current = spec();
      if (!current) {
        source.value = undefined;
        return;
      }
      const found = sources.get(current.key, current.fetch);
      const unsubscribe = found.subscribe();
      source.value = found;
      if (found.state.data === undefined && !found.state.loading) void found.refresh();
      onCleanup(unsubscribe);
    },
    { immediate: true },
  );
  const state = computed(() => source.value?.state);
  return {
    source,
    state,
    data: computed(() => state.value?.data),
    refresh: () => source.value?.refresh() ?? Promise.resolve(),
    readAfterNow: () => source.value?.readAfterNow() ?? Promise.resolve(),
  };
}

/** Uses a changing set of sources (one per row of a page): subscribed while listed, read on first use. */
export function useSources<T>(specs: () => readonly SourceSpec<T>[]): {
  readonly states: ComputedRef<ReadonlyMap<string, SourceState<T>>>;
  /** Reads the sources again: all of them, or those of `keys`. */
  refresh(keys?: readonly string[]): Promise<void>;
  /** Makes sure a read sent from now on completes (`Source.readAfterNow`): for all of them, or those of `keys`. */
  readAfterNow(keys?: readonly string[]): Promise<void>;
  /** The source of `key`, while it is listed. */
  sourceOf(key: string): Source<T> | undefined;
} {
  const { sources } = useApp();
  const used = shallowRef(new Map<string, { source: Source<T>; unsubscribe: () => void }>());
  const keys = computed(() =>
    specs()
      .map((spec) => spec.key)
      .join("\n"),
  );
  watch(
    keys,
    () => {
      const next = new Map<string, { source: Source<T>; unsubscribe: () => void }>();
      for (const spec of specs()) {
        const kept = used.value.get(spec.key) ?? next.get(spec.key);
        if (kept) {
          next.set(spec.key, kept);
          continue;
        }
        const source = sources.get(spec.key, spec.fetch);
        next.set(spec.key, { source, unsubscribe: source.subscribe() });
        if (source.state.data === undefined && !source.state.loading) void source.refresh();
      }
      for (const [key, entry] of used.value) if (!next.has(key)) entry.unsubscribe();
      used.value = next;
    },
    { immediate: true },
  );
  /** Runs `read` on the sources of `keys` (all of them without), and waits for them all. */
  const readEach = async (
    keys: readonly string[] | undefined,
    read: (source: Source<T>) => Promise<void>,
  ): Promise<void> => {
    const entries = keys
      ? keys.flatMap((key) => used.value.get(key) ?? [])
      : [...used.value.values()];
    await Promise.all(entries.map((entry) => read(entry.source)));
  };
  onScopeDispose(() => {
    for (const entry of used.value.values()) entry.unsubscribe();
  });
  return {
    states: computed(
      () => new Map([...used.value].map(([key, entry]) => [key, entry.source.state])),
    ),
    refresh: (keys) => readEach(keys, (source) => source.refresh()),
    readAfterNow: (keys) => readEach(keys, (source) => source.readAfterNow()),
    sourceOf: (key) => used.value.get(key)?.source,
  };
}
