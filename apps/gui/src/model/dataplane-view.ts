/** What the dataplane pages show of a Dataplane's networking. */
import type { DataplaneSpec, Inbound, Outbound } from "@kuma-ts/model";

/** Inbound `interface` of Kuma 0.4: `IP:PORT:SERVICE_PORT`. */
function parseInboundInterface(
  text: string,
): { address: string; port: number; servicePort: number } | undefined {
  const match = /^(.*):(\d+):(\d+)$/.exec(text);
  return match
    ? { address: match[1]!, port: Number(match[2]), servicePort: Number(match[3]) }
    : undefined;
}

/** The dataplane's address: `networking.address`, or the IP of a legacy inbound `interface`. */
export function addressOf(spec: DataplaneSpec): string | undefined {
  const networking = spec.networking ?? {};
  if (networking.address) return networking.address;
  for (const inbound of networking.inbound ?? []) {
    const parsed = inbound.interface ? parseInboundInterface(inbound.interface) : undefined;
    if (parsed) return parsed.address;
  }
  return undefined;
}

/** An inbound as the tables show it. */
export interface InboundView {
  readonly port: number | undefined;
  readonly servicePort: number | undefined;
  readonly address: string | undefined;
  readonly tags: Readonly<Record<string, string>>;
}

export function inboundView(inbound: Inbound, spec: DataplaneSpec): InboundView {
  const legacy = inbound.interface ? parseInboundInterface(inbound.interface) : undefined;
  return {
    port: inbound.port ?? legacy?.port,
    servicePort: inbound.servicePort ?? legacy?.servicePort ?? inbound.port,
    address: inbound.address ?? legacy?.address ?? spec.networking?.address,
    tags: inbound.tags ?? {},
  };
}

/** `127.0.0.1:10001` of an outbound (its legacy `interface` `:10001` reads the same). */
export function outboundAddress(outbound: Outbound): string {
  if (outbound.interface)
    return outbound.interface.startsWith(":")
      ? `127.0.0.1${outbound.interface}`
      : outbound.interface;
  return `${outbound.address ?? "127.0.0.1"}:${outbound.port ?? "?"}`;
}

/** Whether the dataplane is a gateway. */
export const isGateway = (spec: DataplaneSpec): boolean => spec.networking?.gateway !== undefined;

/** The `service` tag values of every inbound, or of the gateway. */
export function servicesOf(spec: DataplaneSpec): string[] {
  const networking = spec.networking ?? {};
  const tagSets = networking.gateway
    ? [networking.gateway.tags ?? {}]
    : (networking.inbound ?? []).map((i) => i.tags ?? {});
  return [...new Set(tagSets.map((tags) => tags.service).filter((s): s is string => Boolean(s)))];
}

/** Every distinct `k=v` of the inbounds (or the gateway), `service` first. */
export function tagsOf(spec: DataplaneSpec): string[] {
  const networking = spec.networking ?? {};
  const tagSets = networking.gateway
    ? [networking.gateway.tags ?? {}]
    : (networking.inbound ?? []).map((i) => i.tags ?? {});
  const pairs = new Set<string>();
  for (const tags of tagSets) {
    if (tags.service !== undefined) pairs.add(`service=${tags.service}`);
  }
  for (const tags of tagSets) {
    for (const [key, value] of Object.entries(tags))
      if (key !== "service") pairs.add(`${key}=${value}`);
  }
  return [...pairs];
}
