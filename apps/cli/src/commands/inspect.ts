/** `kumactl inspect dataplanes [--tag k=v ...]`: dataplanes with the status of their xDS subscriptions. */
import { DataplaneOverview, encodeWire } from "@kuma-ts/model";
import type { KumactlCommand } from "../command.js";
import { keyValueFlag } from "../flags.js";
import { dataplaneStatus } from "../output/status.js";
import { renderTags } from "../output/tags.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";
import { outputFlag } from "./get.js";
import { printPage } from "./print.js";

const HEADERS = [
  "MESH",
  "NAME",
  "TAGS",
  "STATUS",
  "LAST CONNECTED AGO",
  "LAST UPDATED AGO",
  "TOTAL UPDATES",
  "TOTAL ERRORS",
];

export function addInspectCommands(root: KumactlCommand, deps: KumactlDependencies): void {
  const inspect = defineGroup(root, deps, {
    name: "inspect",
    short: "Inspect Kuma resources",
    long: "Inspect Kuma resources.",
  });
  outputFlag(inspect);

  const dataplanes = defineCommand(inspect, {
    name: "dataplanes",
    short: "Inspect Dataplanes",
    long: "Inspect Dataplanes.",
  });
  keyValueFlag(dataplanes, {
    long: "tag",
    usage: "filter by tag in format of key=value. You can provide many tags",
  });
  onRun(dataplanes, deps, { args: "none" }, async (context) => {
    const format = context.outputFormat();
    const now = context.nowNanos();
    const { tag } = dataplanes.opts<{ tag: Record<string, string> }>();
    const page = await context.request("failed to list Dataplanes", (client) =>
      client.dataplaneOverviews({ mesh: context.mesh, tags: tag }),
    );
    await printPage(context, format, page, {
      headers: HEADERS,
      row(overview) {
        const status = dataplaneStatus(overview.dataplaneInsight, now);
        return [
          overview.mesh,
          overview.name,
          renderTags(overview.dataplane),
          status.status,
          status.lastConnected,
          status.lastUpdated,
          status.totalUpdates,
          status.totalErrors,
        ];
      },
      wire: (overview) => encodeWire(DataplaneOverview, overview),
    });
  });
}
