/** The headings of a policy list's two type-specific columns (gui.md P6). */
import type { PolicyTypeName } from "@kuma-ts/model";

export const SELECTOR_HEADING: Record<PolicyTypeName, string> = {
  TrafficPermission: "Sources → Destinations",
  TrafficRoute: "Sources → Destinations",
  TrafficLog: "Sources → Destinations",
  HealthCheck: "Sources → Destinations",
  TrafficTrace: "Selectors",
  ProxyTemplate: "Selectors",
};

/** Undefined for traffic permissions: they have nothing but their selectors. */
export const DETAIL_HEADING: Record<PolicyTypeName, string | undefined> = {
  TrafficPermission: undefined,
  TrafficRoute: "Split",
  TrafficLog: "Backend",
  HealthCheck: "Checks",
  TrafficTrace: "Backend",
  ProxyTemplate: "Imports and resources",
};
