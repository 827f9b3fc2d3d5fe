/**
 * `-w/--watch` of `get <plural>` and `inspect dataplanes` (watch.md §6),
 * kubectl's `-w --output-watch-events` habit: the usual table with a first
 * column EVENT — ADDED for every item that exists, then one row per change
 * (ADDED, MODIFIED, DELETED) as it happens — or one JSON event per line
 * (`-o json`), or one YAML document per event (`-o yaml`).
 *
 * The client resumes a dropped connection by itself. When the server could
 * not resume (`reset`), it sends the whole state again: only what differs
 * from what was printed is printed (an item new or changed since, or gone).
 */
import type { KumaClient, WatchEvent } from "@kuma-ts/client";
import type { KumactlCommand } from "../command.js";
import { UsageError } from "../errors.js";
import { boolFlag } from "../flags.js";
import { renderYaml, type OutputFormat } from "../output/printers.js";
import { columnWidths, renderRow } from "../output/table.js";
import type { RunContext } from "../run-context.js";
import type { ItemView } from "./print.js";

/** kubectl's watch event types. */
export type WatchEventType = "ADDED" | "MODIFIED" | "DELETED";

const EVENT_TYPES: readonly WatchEventType[] = ["ADDED", "MODIFIED", "DELETED"];

/** One change to print; `item` is undefined for a deleted item that was never seen. */
export interface WatchChange<T> {
  readonly type: WatchEventType;
  /** The wire `type` of the watched items (`Dataplane`, `DataplaneOverview`). */
  readonly itemType: string;
  readonly mesh?: string;
  readonly name: string;
  readonly item: T | undefined;
}

/** The `-w/--watch` flag. */
export function watchFlag(command: KumactlCommand): void {
  boolFlag(command, {
    short: "w",
    long: "watch",
    usage: "after listing, print the changes as they happen (until Ctrl-C)",
  });
}

/** Refuses the paging flags with `--watch`: a watch streams every item. */
export function refusePagingWithWatch(command: KumactlCommand): void {
  for (const flag of ["size", "offset"]) {
    if (command.getOptionValueSource(flag) === "cli")
      throw new UsageError(
        `--${flag} cannot be used with --watch: a watch shows every item`,
        command,
      );
  }
}

/**
 * Turns the client's events into kubectl's. It keeps the last version (and
 * item) of every name, so that a DELETED row shows what was last seen and a
 * snapshot sent again after a `reset` prints only what differs.
 */
export class WatchChanges<T> {
  private readonly known = new Map<
    string,
    { readonly itemType: string; readonly version: string; readonly item: T }
  >();
  /** The names of the snapshot being received; undefined once synced. */
  private seen: Set<string> | undefined = new Set();

  accept(event: WatchEvent<T>): WatchChange<T>[] {
    switch (event.kind) {
      case "reset":
        this.seen = new Set();
        return [];
      case "synced":
        return this.synced();
      case "deleted": {
        const key = keyOf(event.mesh, event.name);
        const last = this.known.get(key);
        this.known.delete(key);
        this.seen?.delete(key);
        return [this.change("DELETED", event, last?.item)];
      }
      default: {
        const key = keyOf(event.mesh, event.name);
        const last = this.known.get(key);
        this.known.set(key, {
          itemType: event.type,
          version: event.version,
          item: event.resource,
        });
        if (event.kind === "snapshot") this.seen?.add(key);
        if (last?.version === event.version) return [];
        return [this.change(last ? "MODIFIED" : "ADDED", event, event.resource)];
      }
    }
  }

  /** After a snapshot: what was known and is no longer there was deleted meanwhile. */
  private synced(): WatchChange<T>[] {
    const seen = this.seen;
    this.seen = undefined;
    if (!seen) return [];
    const gone: WatchChange<T>[] = [];
    for (const [key, { itemType, item }] of this.known) {
      if (seen.has(key)) continue;
      this.known.delete(key);
      const [mesh, name] = JSON.parse(key) as [string | null, string];
      gone.push({ type: "DELETED", itemType, ...(mesh !== null && { mesh }), name, item });
    }
    return gone;
  }

  private change(
    type: WatchEventType,
    event: { readonly type: string; readonly mesh?: string; readonly name: string },
    item: T | undefined,
  ): WatchChange<T> {
    return {
      type,
      itemType: event.type,
      ...(event.mesh !== undefined && { mesh: event.mesh }),
      name: event.name,
      item,
    };
  }
}

function keyOf(mesh: string | undefined, name: string): string {
  return JSON.stringify([mesh ?? null, name]);
}

/** Where changes go, in one output format. */
export interface WatchPrinter<T> {
  print(changes: readonly WatchChange<T>[]): Promise<void>;
  /** The first snapshot is complete. */
  synced(): void;
  /**
   * The watch ends: by Ctrl-C (`failed` false) or with an error (true: the
   * table's header is not printed for nothing before the error).
   */
  end(failed: boolean): void;
}

/** The printer of an output format. */
export function watchPrinter<T>(
  context: Pick<RunContext, "out">,
  format: OutputFormat,
  view: ItemView<T>,
): WatchPrinter<T> {
  if (format === "table") return new TablePrinter(context, view);
  let count = 0;
  return {
    async print(changes) {
      for (const change of changes) {
        const event = { type: change.type, object: wireOf(change, view) };
        if (format === "json") context.out(`${JSON.stringify(event)}\n`);
        else context.out(`${count > 0 ? "---\n" : ""}${await renderYaml(event)}`);
        count++;
      }
    },
    synced: () => undefined,
    end: () => undefined,
  };
}

/** The wire form of a change's item: what was last seen, or its type, mesh and name. */
function wireOf<T>(change: WatchChange<T>, view: ItemView<T>): Record<string, unknown> {
  if (change.item !== undefined) return view.wire(change.item);
  return {
    type: change.itemType,
    ...(change.mesh !== undefined && { mesh: change.mesh }),
    name: change.name,
  };
}

/**
 * The table: the snapshot's rows are held until it is complete so that the
 * column widths fit them all (EVENT is as wide as its widest word), then
 * every change is a row with those widths.
 */
class TablePrinter<T> implements WatchPrinter<T> {
  private readonly headers: readonly string[];
  /** The rows of the first snapshot, until it is complete. */
  private pending: string[][] | undefined = [];
  private widths: number[] = [];

  constructor(
    private readonly context: Pick<RunContext, "out">,
    private readonly view: ItemView<T>,
  ) {
    this.headers = ["EVENT", ...view.headers];
  }

  async print(changes: readonly WatchChange<T>[]): Promise<void> {
    for (const change of changes) {
      const row = [change.type, ...this.cellsOf(change)];
      if (this.pending) this.pending.push(row);
      else this.context.out(renderRow(row, this.widths));
    }
  }

  synced(): void {
    if (!this.pending) return;
    const rows = this.pending;
    this.pending = undefined;
    this.widths = columnWidths([this.headers, ...rows, ...EVENT_TYPES.map((type) => [type])]);
    this.context.out([this.headers, ...rows].map((row) => renderRow(row, this.widths)).join(""));
  }

  end(failed: boolean): void {
    if (!failed || (this.pending?.length ?? 0) > 0) this.synced();
  }

  /** The item's row; for an item never seen, its mesh and name under MESH and NAME, blanks elsewhere. */
  private cellsOf(change: WatchChange<T>): string[] {
    if (change.item !== undefined) return this.view.row(change.item);
    return this.view.headers.map((header) =>
      header === "MESH" ? (change.mesh ?? "") : header === "NAME" ? change.name : "",
    );
  }
}

/**
 * Runs a watch until Ctrl-C or SIGTERM (then quietly: exit status 0): opens
 * it with the current control plane's client and prints every change in
 * `format`. A failure (at open, or one the client could not resume from)
 * is reported as `doing` failed, like any request.
 */
export async function runWatch<T>(
  context: RunContext,
  format: OutputFormat,
  doing: string,
  view: ItemView<T>,
  open: (client: KumaClient, signal: AbortSignal) => AsyncIterable<WatchEvent<T>>,
): Promise<void> {
  const controller = new AbortController();
  const release = context.onInterrupt(() => controller.abort());
  const changes = new WatchChanges<T>();
  const printer = watchPrinter(context, format, view);
  let failed = true;
  try {
    await context.request(doing, async (client) => {
      try {
        for await (const event of open(client, controller.signal)) {
          await printer.print(changes.accept(event));
          if (event.kind === "synced") printer.synced();
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    });
    failed = false;
  } finally {
    release();
    printer.end(failed);
  }
}
