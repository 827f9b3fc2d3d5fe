/**
 * A live whole collection (the mesh selector's meshes, gui.md §4, §6): its
 * source is read whole, then kept current by the change feed from the
 * resume token of that read — a created item takes its place by name, a
 * deleted one leaves, `reset` reads it again — while live updates push.
 */
import { useApp } from "../app-context.js";
import type { SourceSpec } from "../api/sources-of.js";
import type { ChangeEvent, WatchTarget } from "../data/change-feed.js";
import { applyToCollection } from "../data/live-rows.js";
import { usePageWatch } from "./use-page-watch.js";
import { useSource, type UsedSource } from "./use-source.js";

export interface LiveCollectionOptions<T> {
  /** What to watch, with the wire type of the items. */
  readonly target: WatchTarget;
  readonly type: string;
  nameOf(item: T): string;
  /** An event's resource (decoded by the client) as an item. */
  toItem(resource: unknown): T;
}

export function useLiveCollection<T>(
  spec: () => SourceSpec<readonly T[]> | undefined,
  options: LiveCollectionOptions<T>,
): UsedSource<readonly T[]> {
  const { live } = useApp();
  const collection = useSource(spec);
  usePageWatch(
    collection,
    () => options.target,
    (target, source) => {
      const onEvent = (event: ChangeEvent): void => {
        if (event.kind === "reset") {
          void source.readAfterNow();
          return;
        }
        const items = source.state.data;
        if (event.type !== options.type || items === undefined) return;
        const next = applyToCollection(items, event, options.nameOf, options.toItem);
        if (next !== items) source.replace(next);
      };
      return live.watchPage({
        target,
        since: source.state.resumeToken,
        readAt: source.state.readAt ?? Date.now(),
        sourceKeys: () => [source.key],
        onEvent,
      });
    },
  );
  return collection;
}
