import { type Static } from "@sinclair/typebox";
import { Duration, Message, Repeated, Uint32 } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

export const ActiveChecks = Message({
  interval: Duration(),
  timeout: Duration(),
  unhealthyThreshold: Uint32(),
  healthyThreshold: Uint32(),
});
export type ActiveChecks = Static<typeof ActiveChecks>;

export const PassiveChecks = Message({
  unhealthyThreshold: Uint32(),
  penaltyInterval: Duration(),
});
export type PassiveChecks = Static<typeof PassiveChecks>;

export const HealthCheckConf = Message({ activeChecks: ActiveChecks, passiveChecks: PassiveChecks });
export type HealthCheckConf = Static<typeof HealthCheckConf>;

export const HealthCheckSpec = Message({
  sources: Repeated(Selector),
  destinations: Repeated(Selector),
  conf: HealthCheckConf,
});
export type HealthCheckSpec = Static<typeof HealthCheckSpec>;

/** Active and passive health checking between services. */
export const HealthCheck = meshScopedResource("HealthCheck", HealthCheckSpec);
export type HealthCheck = Static<typeof HealthCheck>;
