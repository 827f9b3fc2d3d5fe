import { type Static } from "@sinclair/typebox";
import { Message, Repeated } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

export const TrafficPermissionSpec = Message({
  sources: Repeated(Selector),
  destinations: Repeated(Selector),
});
export type TrafficPermissionSpec = Static<typeof TrafficPermissionSpec>;

/** Which services may talk to which. */
export const TrafficPermission = meshScopedResource("TrafficPermission", TrafficPermissionSpec);
export type TrafficPermission = Static<typeof TrafficPermission>;
