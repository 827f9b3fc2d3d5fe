import { fieldPath } from "../codec/schema-walk.js";
import type { Cause } from "../errors.js";
import type { Dataplane, Inbound, Networking, Outbound } from "../resources/dataplane.js";
import { isInboundInterface, isIpAddress, isOutboundInterface } from "./addresses.js";
import { goQuote } from "./go-quote.js";
import { hasTag, PROTOCOL_TAG, SERVICE_TAG, sortedTagKeys } from "./tags.js";

const INVALID_IP = "address has to be valid IP address";
const INVALID_PORT = "port has to be in range of [1, 65535]";
const SUPPORTED_PROTOCOLS = ["http", "tcp"] as const;
const INBOUND_HINT = "Replace it with port, servicePort and networking.address";
const OUTBOUND_HINT = "Replace it with port and address";

/** Semantic validation of a Dataplane (resources.md §4.2): the causes in the documented order. */
export function validateDataplane(resource: Dataplane): Cause[] {
  // A body without `networking` is validated as an empty one, never a crash.
  const networking: Networking = resource.networking ?? {};
  const inbounds = networking.inbound ?? [];
  const address = networking.address ?? "";
  const causes: Cause[] = [];
  if (inbounds.length === 0 && networking.gateway === undefined) {
    causes.push({ field: "networking", message: "has to contain at least one inbound interface or gateway" });
  }
  if (inbounds.length > 0 && networking.gateway !== undefined) {
    causes.push({ field: "networking", message: "inbound cannot be defined both with gateway" });
  }
  // Legacy inbounds carry their IP in `interface`; a dataplane made only of
  // them has no `networking.address`, and that is the one case where none is required.
  if ((address !== "" || !inbounds.some(isLegacyInbound)) && !isIpAddress(address)) {
    causes.push({ field: "networking.address", message: INVALID_IP });
  }
  if (networking.gateway !== undefined) {
    const tags = networking.gateway.tags;
    if (!hasTag(tags, SERVICE_TAG)) {
      causes.push({ field: tagPath("networking.gateway", SERVICE_TAG), message: "tag has to exist" });
    }
    causes.push(...emptyTagValues("networking.gateway", tags));
  }
  inbounds.forEach((inbound, i) => {
    causes.push(...validateInbound(fieldPath.index("networking.inbound", i), inbound, address));
  });
  (networking.outbound ?? []).forEach((outbound, i) => {
    causes.push(...validateOutbound(fieldPath.index("networking.outbound", i), outbound));
  });
  return causes;
}

function isLegacyInbound(inbound: Inbound): boolean {
  return !!inbound.interface && !inbound.port && !inbound.servicePort && !inbound.address;
}

function validateInbound(path: string, inbound: Inbound, networkingAddress: string): Cause[] {
  const causes: Cause[] = [];
  if (inbound.interface) {
    const field = fieldPath.field(path, "interface");
    const conflicts: [boolean, string][] = [
      [!!inbound.port, "port"],
      [!!inbound.servicePort, "servicePort"],
      [!!inbound.address, "address"],
      [networkingAddress !== "", "networking.address"],
    ];
    for (const [conflict, name] of conflicts) {
      if (conflict) causes.push({ field, message: `interface cannot be defined with ${name}. ${INBOUND_HINT}` });
    }
    if (!isInboundInterface(inbound.interface)) {
      causes.push({
        field,
        message:
          "invalid format: expected format is DATAPLANE_IP:DATAPLANE_PORT:WORKLOAD_PORT , e.g. 192.168.0.100:9090:8080 or [2001:db8::1]:7070:6060",
      });
    }
  } else {
    if (!isPort(inbound.port)) causes.push({ field: fieldPath.field(path, "port"), message: INVALID_PORT });
    if ((inbound.servicePort ?? 0) > 65535) {
      causes.push({ field: fieldPath.field(path, "servicePort"), message: "servicePort has to be in range of [0, 65535]" });
    }
    if (inbound.address && !isIpAddress(inbound.address)) {
      causes.push({ field: fieldPath.field(path, "address"), message: INVALID_IP });
    }
  }
  const tags = inbound.tags;
  if (!hasTag(tags, SERVICE_TAG)) causes.push({ field: tagPath(path, SERVICE_TAG), message: "tag has to exist" });
  const protocol = hasTag(tags, PROTOCOL_TAG) ? tags?.[PROTOCOL_TAG] : undefined;
  if (protocol !== undefined && !isSupportedProtocol(protocol)) {
    causes.push({
      field: tagPath(path, PROTOCOL_TAG),
      message: `tag ${goQuote(PROTOCOL_TAG)} has an invalid value ${goQuote(protocol)}. Allowed values: ${SUPPORTED_PROTOCOLS.join(", ")}`,
    });
  }
  causes.push(...emptyTagValues(path, tags));
  return causes;
}

function validateOutbound(path: string, outbound: Outbound): Cause[] {
  const causes: Cause[] = [];
  if (outbound.interface) {
    const field = fieldPath.field(path, "interface");
    if (outbound.port) causes.push({ field, message: `interface cannot be defined with port. ${OUTBOUND_HINT}` });
    if (outbound.address) causes.push({ field, message: `interface cannot be defined with address. ${OUTBOUND_HINT}` });
    if (!isOutboundInterface(outbound.interface)) {
      causes.push({
        field,
        message:
          "invalid format: expected format is DATAPLANE_IP:DATAPLANE_PORT where DATAPLANE_IP is optional. E.g. 127.0.0.1:9090, :9090, [::1]:8080",
      });
    }
  } else {
    if (!isPort(outbound.port)) causes.push({ field: fieldPath.field(path, "port"), message: INVALID_PORT });
    if (outbound.address && !isIpAddress(outbound.address)) {
      causes.push({ field: fieldPath.field(path, "address"), message: INVALID_IP });
    }
  }
  if (!outbound.service) causes.push({ field: fieldPath.field(path, "service"), message: "cannot be empty" });
  return causes;
}

function isPort(port: number | undefined): boolean {
  return port !== undefined && port >= 1 && port <= 65535;
}

function isSupportedProtocol(value: string): boolean {
  return (SUPPORTED_PROTOCOLS as readonly string[]).includes(value.toLowerCase());
}

function tagPath(path: string, key: string): string {
  return fieldPath.key(fieldPath.field(path, "tags"), key);
}

function emptyTagValues(path: string, tags: Readonly<Record<string, string>> | undefined): Cause[] {
  // The usual case, no empty value, needs no sorting.
  if (tags === undefined || !Object.values(tags).includes("")) return [];
  return sortedTagKeys(tags)
    .filter((key) => tags?.[key] === "")
    .map((key) => ({ field: tagPath(path, key), message: "tag value cannot be empty" }));
}
