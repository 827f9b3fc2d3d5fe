/**
 * A live detail page (gui.md §6, "on a detail page: update in place; deleted
 * shows a banner"): while live updates are on, the item's source is fed by
 * the change feed. An item
 * GET carries no resume token, so the watch starts from a token read with a
 * one-item list, and the item is read again (conditionally) after it:
 * nothing written in between is missed, and no snapshot is sent.
 */
import { ref, type Ref } from "vue";
import { useApp } from "../app-context.js";
import type { ChangeEvent, WatchTarget } from "../data/change-feed.js";
import type { Source } from "../data/source.js";
import { usePageWatch } from "./use-page-watch.js";
import type { UsedSource } from "./use-source.js";

export interface LiveItemOptions {
  /** What to watch, with the wire type and name of the item; undefined: nothing. */
  watchTarget(): { target: WatchTarget; type: string; name: string } | undefined;
  /** A resume token of the target's history now (the `resumeToken` of a one-item list). */
  resumeToken(): Promise<string | undefined>;
}

export interface LiveItem {
  /** The feed said the item was deleted (the last data stays shown under a banner). */
  readonly deleted: Ref<boolean>;
}

/** An event about the item (`type`, `name`) replaces it in place, or marks it deleted; others are left alone. */
export function applyItemEvent<T>(
  event: ChangeEvent,
  item: { readonly type: string; readonly name: string },
  source: Source<T>,
  deleted: Ref<boolean>,
): void {
  if (event.kind === "reset" || event.type !== item.type || event.name !== item.name) return;
  deleted.value = event.kind === "deleted";
  if (event.kind !== "deleted") source.replace(event.resource as T, event.version);
}

export function useLiveItem<T>(item: UsedSource<T>, options: LiveItemOptions): LiveItem {
  const { live } = useApp();
  const deleted = ref(false);
  usePageWatch(item, options.watchTarget, (target, source) => {
    deleted.value = false;
    let stop: (() => void) | undefined;
    let cancelled = false;
    const onEvent = (event: ChangeEvent): void => {
      if (event.kind === "reset") {
        void source.readAfterNow();
        return;
      }
      applyItemEvent(event, target, source, deleted);
    };
    void (async () => {
      let since: string | undefined;
      const readAt = Date.now();
      try {
        since = await options.resumeToken();
      } catch {
        return; // polling keeps the page current
      }
      if (since === undefined || cancelled) return;
      await source.readAfterNow(); // sent after the token's read: what came between is in it
      if (cancelled) return;
      stop = live.watchPage({
        target: target.target,
        since,
        readAt,
        sourceKeys: () => [source.key],
        onEvent,
      });
    })();
    return () => {
      cancelled = true;
      stop?.();
    };
  });
  return { deleted };
}
