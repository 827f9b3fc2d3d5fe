/** Printing a page or one item in the format `-o` asked for. */
import type { Page } from "@kuma-ts/client";
import type { OutputFormat } from "../output/printers.js";
import { renderJson, renderYaml } from "../output/printers.js";
import { renderTable } from "../output/table.js";
import type { RunContext } from "../run-context.js";

/** How items of one kind are shown. */
export interface ItemView<T> {
  readonly headers: readonly string[];
  row(item: T): string[];
  /** The item's wire form, for JSON and YAML. */
  wire(item: T): Record<string, unknown>;
}

/** Prints a page: a table, or the list body (`total`, `items`, `next`) as JSON or YAML. */
export async function printPage<T>(
  context: RunContext,
  format: OutputFormat,
  page: Page<T>,
  view: ItemView<T>,
): Promise<void> {
  if (format === "table") {
    context.out(
      renderTable(
        view.headers,
        page.items.map((item) => view.row(item)),
      ),
    );
    return;
  }
  const body = {
    total: page.total,
    items: page.items.map((item) => view.wire(item)),
    next: page.next,
  };
  context.out(format === "json" ? renderJson(body) : await renderYaml(body));
}

/** Prints one item: a one-row table, or the item itself as JSON or YAML. */
export async function printItem<T>(
  context: RunContext,
  format: OutputFormat,
  item: T,
  view: ItemView<T>,
): Promise<void> {
  if (format === "table") context.out(renderTable(view.headers, [view.row(item)]));
  else
    context.out(
      format === "json" ? renderJson(view.wire(item)) : await renderYaml(view.wire(item)),
    );
}

/** The hint printed (stderr) when a page was cut by `--size`. */
export function printNextPageHint(context: RunContext, page: Page<unknown>): void {
  if (page.next !== null && page.nextOffset !== undefined) {
    context.err(
      `Rerun command with --offset=${page.nextOffset} argument to retrieve more resources\n`,
    );
  }
}
