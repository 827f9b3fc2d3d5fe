/** `kumactl get <plural>` and `kumactl get <singular> NAME`, for every type of the registry with kumactl names. */
import { ApiError } from "@kuma-ts/client";
import { toWire, type Resource } from "@kuma-ts/model";
import type { KumactlCommand } from "../command.js";
import { namesOf, oneOf } from "../completion/completions.js";
import { CliError } from "../errors.js";
import { intFlag, stringFlag } from "../flags.js";
import { OUTPUT_FORMATS } from "../output/printers.js";
import { tableFor } from "../output/resource-tables.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";
import { printItem, printNextPageHint, printPage, type ItemView } from "./print.js";
import { kumactlTypes, type KumactlType } from "./registry-types.js";
import { refusePagingWithWatch, runWatch, watchFlag } from "./watch.js";

/** The `-o` flag of `get` and `inspect` (inherited by their subcommands). */
export function outputFlag(command: KumactlCommand): void {
  stringFlag(command, {
    short: "o",
    long: "output",
    usage: "output format: one of table|yaml|json",
    defaultValue: "table",
    complete: oneOf(OUTPUT_FORMATS),
  });
}

function viewOf(type: KumactlType): ItemView<Resource> {
  const table = tableFor(type);
  return {
    headers: table.headers,
    row: (resource) => table.row(resource),
    wire: (resource) => toWire(resource),
  };
}

export function addGetCommands(root: KumactlCommand, deps: KumactlDependencies): void {
  const get = defineGroup(root, deps, {
    name: "get",
    short: "Show Kuma resources",
    long: "Show Kuma resources.",
  });
  outputFlag(get);

  for (const type of kumactlTypes) {
    const list = defineCommand(get, {
      name: type.kumactl.plural,
      short: `Show ${type.pluralName}`,
      long: `Show ${type.pluralName}.`,
    });
    intFlag(list, { long: "size", usage: "maximum number of elements to return" });
    stringFlag(list, {
      long: "offset",
      usage: "the offset that indicates starting element of the resources list to retrieve",
    });
    watchFlag(list);
    onRun(list, deps, { args: "none" }, async (context) => {
      const { size, offset, watch } = list.opts<{
        size: number;
        offset?: string;
        watch?: boolean;
      }>();
      if (watch) refusePagingWithWatch(list);
      const format = context.outputFormat();
      if (watch) {
        await runWatch(
          context,
          format,
          `failed to watch ${type.pluralName}`,
          viewOf(type),
          (client, signal) => client.resources(type).watch({ mesh: context.mesh, signal }),
        );
        return;
      }
      const page = await context.request(`failed to list ${type.pluralName}`, (client) =>
        client.resources(type).list({
          mesh: context.mesh,
          ...(size !== 0 && { size }),
          ...(offset && { offset }),
        }),
      );
      await printPage(context, format, page, viewOf(type));
      printNextPageHint(context, page);
    });

    const one = defineCommand(get, {
      name: type.kumactl.singular,
      use: "NAME",
      completeArgs: [namesOf(type)],
      short: `Show a single ${type.name} resource`,
      long: `Show a single ${type.name} resource.`,
    });
    onRun(one, deps, { args: { exactly: 1 } }, async (context, [name]) => {
      const format = context.outputFormat();
      const resource = await context.request(
        `failed to get ${type.name} ${JSON.stringify(name)}`,
        async (client) => {
          try {
            return await client.resources(type).get({ mesh: context.mesh, name: name! });
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) {
              throw new CliError(`there is no ${type.name} with name ${JSON.stringify(name)}`);
            }
            throw error;
          }
        },
      );
      await printItem(context, format, resource, viewOf(type));
    });
  }
}
