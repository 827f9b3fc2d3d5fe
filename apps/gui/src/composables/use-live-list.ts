/**
 * A live list page: its source, its rows (kept in place as changes come,
 * gui.md §6) and, while live updates are on, the page's watch from the
 * list's resume token.
 */
import type { Page } from "@kuma-ts/client";
import { shallowRef, watch, type ShallowRef } from "vue";
import { useApp } from "../app-context.js";
import type { SourceSpec } from "../api/sources-of.js";
import type { ChangeEvent, WatchTarget } from "../data/change-feed.js";
import { applyChange, freshRows, mergePolledPage, type LiveRows } from "../data/live-rows.js";
import { usePageWatch } from "./use-page-watch.js";
import { useSource, type UsedSource } from "./use-source.js";

export interface LiveList<T> {
  readonly list: UsedSource<Page<T>>;
  readonly rows: ShallowRef<LiveRows<T>>;
  /** Reads the page again and shows it whole (Refresh, the changes pill, a feed reset). */
  refreshPage(): Promise<void>;
}

export interface LiveListOptions<T> {
  nameOf(item: T): string;
  /** What to watch for this page, with the wire type of its items. */
  watchTarget(): { target: WatchTarget; type: string } | undefined;
  /** An event's resource (decoded by the client) as a row item. */
  toItem(resource: unknown): T;
  /** Other sources of the page that the feed's events keep as current as the page wants them (not polled while it is open). */
  fedKeys?(): readonly string[];
  /** A row of the page was replaced in place by an event. */
  onRowUpdated?(name: string): void;
}

export function useLiveList<T>(
  spec: () => SourceSpec<Page<T>> | undefined,
  options: LiveListOptions<T>,
): LiveList<T> {
  const { live } = useApp();
  const list = useSource(spec);
  const rows = shallowRef<LiveRows<T>>({ rows: [], pending: 0 });
  let shownSource: unknown;

  watch(
    () => [list.source.value, list.data.value] as const,
    ([source, page]) => {
      if (!page) return;
      // A new page (another offset, size or filter) is shown whole; the same page polled again is merged.
      rows.value =
        source === shownSource
          ? mergePolledPage(rows.value, page.items, options.nameOf)
          : freshRows(page.items, options.nameOf);
      shownSource = source;
    },
    { immediate: true },
  );

  /** Shows the page whole once `read` is done. */
  const showWhole = async (read: () => Promise<void>): Promise<void> => {
    await read();
    const page = list.data.value;
    if (page) rows.value = freshRows(page.items, options.nameOf);
  };
  const refreshPage = (): Promise<void> => showWhole(list.refresh);

  // One watch per page and target: it starts from the resume token of the page's first read.
  usePageWatch(list, options.watchTarget, (target, source) => {
    const onEvent = (event: ChangeEvent): void => {
      if (event.kind === "reset") {
        void showWhole(list.readAfterNow); // what the feed may have missed
        return;
      }
      if (event.type !== target.type) return;
      const isLastPage = list.data.value?.nextOffset === undefined;
      rows.value = applyChange(rows.value, event, { isLastPage }, options.toItem);
      if (event.kind !== "deleted" && rows.value.rows.some((row) => row.name === event.name))
        options.onRowUpdated?.(event.name);
    };
    return live.watchPage({
      target: target.target,
      since: source.state.resumeToken,
      readAt: source.state.readAt ?? Date.now(),
      sourceKeys: () => [source.key, ...(options.fedKeys?.() ?? [])],
      onEvent,
    });
  });

  return { list, rows, refreshPage };
}
