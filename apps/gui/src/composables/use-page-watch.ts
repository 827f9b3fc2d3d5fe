/**
 * The watch of a page's source (gui.md §6): started once the source has
 * data while live updates push, stopped and started again when the target
 * or the source changes, stopped when live updates are turned off or the
 * page goes away.
 */
import { watch } from "vue";
import { useApp } from "../app-context.js";
import type { Source } from "../data/source.js";
import type { UsedSource } from "./use-source.js";

/** Runs `start(target, source)` while it applies; the function `start` returns stops it. */
export function usePageWatch<W, T>(
  used: UsedSource<T>,
  watchTarget: () => W | undefined,
  start: (target: W, source: Source<T>) => () => void,
): void {
  const { live } = useApp();
  const identity = (): string | undefined => {
    const target = watchTarget();
    const key = used.source.value?.key;
    return live.mode.value === "push" && target && used.data.value !== undefined && key
      ? JSON.stringify([target, key])
      : undefined;
  };
  watch(
    identity,
    (current, _old, onCleanup) => {
      const target = watchTarget();
      const source = used.source.value;
      if (current === undefined || target === undefined || !source) return;
      onCleanup(start(target, source));
    },
    { immediate: true },
  );
}
