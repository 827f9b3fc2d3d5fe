import { type Static } from "@sinclair/typebox";
import { Message, Repeated, Str, StringMap, Uint32 } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Metrics } from "./metrics.js";

/** A service the dataplane exposes; `interface` is the legacy `IP:PORT:SERVICE_PORT` form. */
export const Inbound = Message({
  interface: Str(),
  port: Uint32(),
  servicePort: Uint32(),
  address: Str(),
  tags: StringMap(),
});
export type Inbound = Static<typeof Inbound>;

/** A service the dataplane consumes; `interface` is the legacy `IP:PORT` form. */
export const Outbound = Message({
  interface: Str(),
  address: Str(),
  port: Uint32(),
  service: Str(),
});
export type Outbound = Static<typeof Outbound>;

export const Gateway = Message({ tags: StringMap() });
export type Gateway = Static<typeof Gateway>;

export const TransparentProxying = Message({ redirectPort: Uint32() });
export type TransparentProxying = Static<typeof TransparentProxying>;

export const Networking = Message({
  address: Str(),
  inbound: Repeated(Inbound),
  outbound: Repeated(Outbound),
  gateway: Gateway,
  transparentProxying: TransparentProxying,
});
export type Networking = Static<typeof Networking>;

/** The spec of a Dataplane. */
export const DataplaneSpec = Message({ networking: Networking, metrics: Metrics });
export type DataplaneSpec = Static<typeof DataplaneSpec>;

/** A proxy registered in a mesh. */
export const Dataplane = meshScopedResource("Dataplane", DataplaneSpec);
export type Dataplane = Static<typeof Dataplane>;
