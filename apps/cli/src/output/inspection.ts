/** The text of `kumactl inspect dataplane` and `kumactl inspect <policy>` (inspection.md §5). */
import {
  compareCodePoints,
  type DataplaneInspection,
  type InspectionItem,
  type PolicyAttachment,
  type PolicyDataplanesItem,
} from "@kuma-ts/model";

/** `DATAPLANE:`, `INBOUND <name>(<service>):`, ... */
function headerOf(item: InspectionItem): string {
  switch (item.type) {
    case "dataplane":
      return "DATAPLANE:";
    case "inbound":
      return `INBOUND ${item.name}(${item.service}):`;
    case "outbound":
      return `OUTBOUND ${item.name}(${item.service}):`;
    case "service":
      return `SERVICE ${item.name}:`;
  }
}

/**
 * Each attachment where something applies: its header, then per policy type
 * (sorted) the type and the names of its policies, then a blank line.
 */
export function renderDataplaneInspection(inspection: DataplaneInspection): string {
  let text = "";
  for (const item of inspection.items) {
    const types = Object.entries(item.matchedPolicies)
      .filter(([, policies]) => policies.length > 0)
      .sort(([a], [b]) => compareCodePoints(a, b));
    if (types.length === 0) continue;
    text += `${headerOf(item)}\n`;
    for (const [type, policies] of types) {
      text += `  ${type}\n`;
      for (const policy of policies) text += `    ${policy.name}\n`;
    }
    text += "\n";
  }
  return text;
}

function attachmentLine(attachment: PolicyAttachment): string {
  if (attachment.type === "dataplane") return "    dataplane";
  if (attachment.type === "service") return `    service ${attachment.name}`;
  return `    ${attachment.type} ${attachment.name}(${attachment.service})`;
}

/**
 * `Affected data plane proxies:`, then each dataplane with its attachments
 * and a blank line; a dataplane where the policy applies as a whole is one
 * line, its name alone.
 */
export function renderPolicyDataplanes(items: readonly PolicyDataplanesItem[]): string {
  let text = "Affected data plane proxies:\n\n";
  for (const { dataplane, attachments } of items) {
    if (attachments.length === 1 && attachments[0]!.type === "dataplane") {
      text += `  ${dataplane.name}\n`;
      continue;
    }
    text += `  ${dataplane.name}:\n${attachments.map((attachment) => `${attachmentLine(attachment)}\n`).join("")}\n`;
  }
  return text;
}
