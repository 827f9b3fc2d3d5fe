import { type Static } from "@sinclair/typebox";
import { Message, Repeated, StringMap, Uint32 } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

/** One weighted destination of a route. */
export const WeightedDestination = Message({ weight: Uint32(), destination: StringMap() });
export type WeightedDestination = Static<typeof WeightedDestination>;

export const TrafficRouteSpec = Message({
  sources: Repeated(Selector),
  destinations: Repeated(Selector),
  conf: Repeated(WeightedDestination),
});
export type TrafficRouteSpec = Static<typeof TrafficRouteSpec>;

/** Weighted routing of traffic between services. */
export const TrafficRoute = meshScopedResource("TrafficRoute", TrafficRouteSpec);
export type TrafficRoute = Static<typeof TrafficRoute>;
