import { type Static } from "@sinclair/typebox";
import { Message, Str, Uint32 } from "../proto.js";

/** Where Prometheus scrapes a dataplane's metrics. */
export const PrometheusMetricsBackendConfig = Message({ port: Uint32(), path: Str() });
export type PrometheusMetricsBackendConfig = Static<typeof PrometheusMetricsBackendConfig>;

/** Metrics settings of a Mesh or a Dataplane. */
export const Metrics = Message({ prometheus: PrometheusMetricsBackendConfig });
export type Metrics = Static<typeof Metrics>;
