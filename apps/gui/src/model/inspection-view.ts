/** The policies tab of a dataplane (gui.md P5): each attachment's card title and its effect in words. */
import type { InspectionItem, WeightedDestination } from "@kuma-ts/model";
import { routeSplit } from "./policy-summaries.js";

/** `Dataplane`, `Inbound 10.0.0.1:8080:80 (web)`, `Outbound 127.0.0.1:10001 → backend`, `Service backend` */
export function attachmentTitle(item: InspectionItem): { kind: string; text: string } {
  switch (item.type) {
    case "dataplane":
      return { kind: "Dataplane", text: "the whole dataplane" };
    case "inbound":
      return { kind: "Inbound", text: `${item.name} (${item.service})` };
    case "outbound":
      return { kind: "Outbound", text: `${item.name} → ${item.service}` };
    case "service":
      return { kind: "Service", text: item.name };
  }
}

/** One line of an effect; `danger` lines are shown in red. */
export interface EffectLine {
  readonly text: string;
  readonly danger?: boolean;
}

/** The `effective` summary of an attachment in words. */
export function effectLines(item: InspectionItem): EffectLine[] {
  switch (item.type) {
    case "dataplane":
      return [
        { text: `Tracing: ${item.effective.tracingBackend ?? "none"}` },
        { text: `Proxy template: ${item.effective.proxyTemplate ?? "built-in default"}` },
      ];
    case "inbound": {
      const { rbac, allowedSources } = item.effective;
      if (!rbac)
        return [
          {
            text: `mTLS off — every source allowed${allowedSources.length ? ` (permissions name: ${allowedSources.join(", ")})` : ""}`,
          },
        ];
      if (allowedSources.length === 0)
        return [{ text: "mTLS on — deny-all: no permission allows any source", danger: true }];
      return [{ text: `mTLS on — allowed sources: ${allowedSources.join(", ")}` }];
    }
    case "outbound": {
      const { route, logBackend } = item.effective;
      return [
        { text: `Route: ${routeText(route.conf)}${route.implicit ? " (implicit)" : ""}` },
        { text: `Log backend: ${logBackend ?? "none"}` },
      ];
    }
    case "service":
      return [];
  }
}

/** A route's split with its destinations: `backend version=v1 90 % · ...` */
function routeText(conf: readonly WeightedDestination[]): string {
  if (conf.length === 1) {
    const destination = Object.entries(conf[0]!.destination ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(", ");
    return `100 % to ${destination}`;
  }
  return routeSplit(conf);
}

/** Whether an inbound denies everything (mTLS on and no permission). */
export const isDenyAll = (item: InspectionItem): boolean =>
  item.type === "inbound" && item.effective.rbac && item.effective.allowedSources.length === 0;
