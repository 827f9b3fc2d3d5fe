import { type Static } from "@sinclair/typebox";
import { Message, Repeated, Str } from "../proto.js";
import { meshScopedResource } from "./meta.js";
import { Selector } from "./selector.js";

/** A raw Envoy resource (YAML or JSON text with an `'@type'`). */
export const ProxyTemplateRawResource = Message({ name: Str(), version: Str(), resource: Str() });
export type ProxyTemplateRawResource = Static<typeof ProxyTemplateRawResource>;

export const ProxyTemplateConf = Message({
  imports: Repeated(Str()),
  resources: Repeated(ProxyTemplateRawResource),
});
export type ProxyTemplateConf = Static<typeof ProxyTemplateConf>;

export const ProxyTemplateSpec = Message({
  selectors: Repeated(Selector),
  conf: ProxyTemplateConf,
});
export type ProxyTemplateSpec = Static<typeof ProxyTemplateSpec>;

/** Custom Envoy configuration for selected dataplanes. */
export const ProxyTemplate = meshScopedResource("ProxyTemplate", ProxyTemplateSpec);
export type ProxyTemplate = Static<typeof ProxyTemplate>;
