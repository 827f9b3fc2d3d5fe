/**
 * Where policies attach to a dataplane (inspection.md §2.1): its inbounds
 * and outbounds with their names, and the tag maps that selectors match.
 */
import type { Dataplane, Inbound, Outbound } from "../resources/dataplane.js";
import {
  DEFAULT_OUTBOUND_IP,
  parseInboundInterface,
  parseOutboundInterface,
} from "../validation/addresses.js";
import { SERVICE_TAG } from "../validation/tags.js";
import type { Tags } from "./selectors.js";

/** An inbound: `IP:port:servicePort`, the service it exposes and its tags. */
export interface InboundAttachment {
  readonly name: string;
  readonly service: string;
  readonly tags: Tags;
}

/** An outbound: `IP:port` and the service it reaches. */
export interface OutboundAttachment {
  readonly name: string;
  readonly service: string;
}

/** What inspection needs of a dataplane. */
export interface DataplaneAttachments {
  /** R3: each inbound's tags, then the gateway's; a selector matches one of them on its own. */
  readonly tagSets: readonly Tags[];
  /** In spec order. */
  readonly inbounds: readonly InboundAttachment[];
  /** In spec order; two outbounds of one service are two attachments. */
  readonly outbounds: readonly OutboundAttachment[];
}

const NO_TAGS: Tags = Object.freeze({});

/** The attachments of a dataplane (a gateway has no inbounds, only its tags). */
export function dataplaneAttachments(dataplane: Dataplane): DataplaneAttachments {
  const networking = dataplane.networking ?? {};
  const address = networking.address ?? "";
  const inbounds = (networking.inbound ?? []).map((inbound) => inboundAttachment(inbound, address));
  const tagSets = inbounds.map((inbound) => inbound.tags);
  if (networking.gateway) tagSets.push(networking.gateway.tags ?? NO_TAGS);
  return { tagSets, inbounds, outbounds: (networking.outbound ?? []).map(outboundAttachment) };
}

function inboundAttachment(inbound: Inbound, networkingAddress: string): InboundAttachment {
  const tags = inbound.tags ?? NO_TAGS;
  const legacy = inbound.interface ? parseInboundInterface(inbound.interface) : undefined;
  const ip = legacy?.ip ?? (inbound.address || networkingAddress);
  const port = legacy?.port ?? inbound.port ?? 0;
  const servicePort = legacy?.servicePort ?? (inbound.servicePort || port);
  return { name: `${hostOf(ip)}:${port}:${servicePort}`, service: serviceOf(tags), tags };
}

function outboundAttachment(outbound: Outbound): OutboundAttachment {
  const legacy = outbound.interface ? parseOutboundInterface(outbound.interface) : undefined;
  const ip = legacy?.ip ?? (outbound.address || DEFAULT_OUTBOUND_IP);
  const port = legacy?.port ?? outbound.port ?? 0;
  return { name: `${hostOf(ip)}:${port}`, service: outbound.service ?? "" };
}

/** The IP as it is written before a port: IPv6 in brackets, as in the legacy interfaces. */
function hostOf(ip: string): string {
  return ip.includes(":") ? `[${ip}]` : ip;
}

function serviceOf(tags: Tags): string {
  return Object.hasOwn(tags, SERVICE_TAG) ? (tags[SERVICE_TAG] ?? "") : "";
}
