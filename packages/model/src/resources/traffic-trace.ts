import { type Static } from "@sinclair/typebox";
import { Message, Repeated, Str } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

export const TrafficTraceConf = Message({ backend: Str() });
export type TrafficTraceConf = Static<typeof TrafficTraceConf>;

export const TrafficTraceSpec = Message({ selectors: Repeated(Selector), conf: TrafficTraceConf });
export type TrafficTraceSpec = Static<typeof TrafficTraceSpec>;

/** Tracing of the traffic of selected dataplanes. */
export const TrafficTrace = meshScopedResource("TrafficTrace", TrafficTraceSpec);
export type TrafficTrace = Static<typeof TrafficTrace>;
