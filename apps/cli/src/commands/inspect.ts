/**
 * `kumactl inspect dataplanes [--tag k=v ...]`: dataplanes with the status
 * of their xDS subscriptions; `kumactl inspect dataplane NAME`: the policies
 * that apply to one; `kumactl inspect <policy type> NAME`: where a policy applies.
 */
import {
  DataplaneOverview,
  DataplaneType,
  encodeWire,
  policyTypes,
  type AnyResourceType,
  type PolicyType,
} from "@kuma-ts/model";
import type { KumactlCommand } from "../command.js";
import { namesOf } from "../completion/completions.js";
import { keyValueFlag } from "../flags.js";
import { renderDataplaneInspection, renderPolicyDataplanes } from "../output/inspection.js";
import { renderJson, renderYaml, type OutputFormat } from "../output/printers.js";
import { dataplaneStatus } from "../output/status.js";
import { renderTags } from "../output/tags.js";
import type { KumactlDependencies } from "../run-context.js";
import { defineCommand, defineGroup, onRun } from "./define.js";
import { outputFlag } from "./get.js";
import { printPage, type ItemView } from "./print.js";
import { kumactlTypes, type KumactlType } from "./registry-types.js";
import { runWatch, watchFlag } from "./watch.js";

/** The policy types, with their kumactl names. */
const policyCommandTypes = kumactlTypes.filter((type): type is KumactlType & PolicyType =>
  (policyTypes as readonly AnyResourceType[]).includes(type),
);

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
  watchFlag(dataplanes);
  onRun(dataplanes, deps, { args: "none" }, async (context) => {
    const format = context.outputFormat();
    const { tag, watch } = dataplanes.opts<{ tag: Record<string, string>; watch?: boolean }>();
    if (watch) {
      // The ages of a row are those of the moment it is printed.
      const view = overviewView(() => context.nowNanos());
      await runWatch(context, format, "failed to watch Dataplanes", view, (client, signal) =>
        client.watchDataplaneOverviews({ mesh: context.mesh, tags: tag, signal }),
      );
      return;
    }
    const now = context.nowNanos();
    const page = await context.request("failed to list Dataplanes", (client) =>
      client.dataplaneOverviews({ mesh: context.mesh, tags: tag }),
    );
    await printPage(
      context,
      format,
      page,
      overviewView(() => now),
    );
  });

  const dataplane = defineCommand(inspect, {
    name: "dataplane",
    use: "NAME",
    completeArgs: [namesOf(DataplaneType)],
    short: "Inspect Dataplane",
    long: "Inspect Dataplane: the policies that apply at each of its attachments.",
  });
  onRun(dataplane, deps, { args: { exactly: 1 } }, async (context, [name]) => {
    const format = context.outputFormat();
    const inspection = await context.request(
      `failed to inspect Dataplane ${JSON.stringify(name)}`,
      (client) => client.inspectDataplane({ mesh: context.mesh, name: name! }),
    );
    context.out(await rendered(format, inspection, renderDataplaneInspection));
  });

  for (const type of policyCommandTypes) {
    const policy = defineCommand(inspect, {
      name: type.kumactl.singular,
      use: "NAME",
      completeArgs: [namesOf(type)],
      short: `Inspect ${type.name}`,
      long: `Inspect ${type.name}: the data plane proxies it applies to, and where.`,
    });
    onRun(policy, deps, { args: { exactly: 1 } }, async (context, [name]) => {
      const format = context.outputFormat();
      const page = await context.request(
        `failed to inspect ${type.name} ${JSON.stringify(name)}`,
        (client) => client.policyDataplanes({ type, mesh: context.mesh, name: name! }),
      );
      const body = { total: page.total, items: page.items, next: page.next };
      context.out(await rendered(format, body, (all) => renderPolicyDataplanes(all.items)));
    });
  }
}

/** The rows of `inspect dataplanes`, with the ages of the moment `now` gives. */
function overviewView(now: () => bigint): ItemView<DataplaneOverview> {
  return {
    headers: HEADERS,
    row(overview) {
      const status = dataplaneStatus(overview.dataplaneInsight, now());
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
  };
}

/** The text of an answer for `-o`: its own text for `table`, else the body as JSON or YAML. */
async function rendered<T>(
  format: OutputFormat,
  body: T,
  asText: (body: T) => string,
): Promise<string> {
  if (format === "json") return renderJson(body);
  if (format === "yaml") return renderYaml(body);
  return asText(body);
}
