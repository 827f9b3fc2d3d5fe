import { type Static } from "@sinclair/typebox";
import { Message, Repeated, Str } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

export const TrafficLogConf = Message({ backend: Str() });
export type TrafficLogConf = Static<typeof TrafficLogConf>;

export const TrafficLogSpec = Message({
  sources: Repeated(Selector),
  destinations: Repeated(Selector),
  conf: TrafficLogConf,
});
export type TrafficLogSpec = Static<typeof TrafficLogSpec>;

/** Access logging of the traffic between services. */
export const TrafficLog = meshScopedResource("TrafficLog", TrafficLogSpec);
export type TrafficLog = Static<typeof TrafficLog>;
