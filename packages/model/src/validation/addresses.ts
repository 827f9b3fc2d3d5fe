/**
 * Parsing of addresses as Kuma 0.4 did it with Go's net package, so that the
 * same values are accepted: IP literals (net.ParseIP), `host:port`
 * (net.SplitHostPort) and the legacy dataplane interface strings.
 */

/** Whether `text` is an IPv4 dotted quad or an IPv6 literal (no brackets, no zone, as net.ParseIP). */
export function isIpAddress(text: string): boolean {
  // Written out rather than node:net's isIP: the model runs wherever fetch does, not only in Node.
  return isIPv4(text) || isIPv6(text);
}

const IPV4 = /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})$/;
const IPV6_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** Four decimal parts of 0–255 without leading zeros (one match, no split: every Dataplane write checks one). */
function isIPv4(text: string): boolean {
  const m = IPV4.exec(text);
  return m !== null && Number(m[1]) <= 255 && Number(m[2]) <= 255 && Number(m[3]) <= 255 && Number(m[4]) <= 255;
}

function isIPv6(text: string): boolean {
  const halves = text.split("::");
  if (halves.length > 2) return false;
  const groups = (half: string): string[] => (half === "" ? [] : half.split(":"));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  // A dotted quad at the very end stands for the last two groups (`::ffff:10.0.0.1`).
  const last = halves.length === 2 ? tail[tail.length - 1] : head[head.length - 1];
  const embedsIPv4 = last !== undefined && last.includes(".");
  if (embedsIPv4 && !isIPv4(last)) return false;
  const hexGroups = embedsIPv4 ? all.slice(0, -1) : all;
  if (!hexGroups.every((group) => IPV6_GROUP.test(group))) return false;
  const width = hexGroups.length + (embedsIPv4 ? 2 : 0);
  return halves.length === 2 ? width <= 7 : width === 8;
}

/** `host` and `port` of `host:port` or `[ipv6]:port`, or undefined when malformed (net.SplitHostPort). */
export function splitHostPort(hostPort: string): { host: string; port: string } | undefined {
  const lastColon = hostPort.lastIndexOf(":");
  if (lastColon < 0) return undefined;
  let host: string;
  // Positions before which a '[' resp. ']' may legitimately appear.
  let openFrom = 0;
  let closeFrom = 0;
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    if (end < 0 || end + 1 !== lastColon) return undefined;
    host = hostPort.slice(1, end);
    openFrom = 1;
    closeFrom = end + 1;
  } else {
    host = hostPort.slice(0, lastColon);
    if (host.includes(":")) return undefined;
  }
  if (hostPort.slice(openFrom).includes("[") || hostPort.slice(closeFrom).includes("]")) return undefined;
  return { host, port: hostPort.slice(lastColon + 1) };
}

/** Whether `text` is a port number in [1, 65535] written in decimal digits (Kuma's ParsePort). */
export function isPortNumber(text: string): boolean {
  if (!/^\d+$/.test(text)) return false;
  const port = Number(text);
  return port >= 1 && port <= 65535;
}

/** A legacy inbound `interface` parsed: the dataplane's IP and port, and the workload's port. */
export interface InboundInterface {
  readonly ip: string;
  readonly port: number;
  readonly servicePort: number;
}

/** A legacy outbound `interface` parsed: where the dataplane listens for the service. */
export interface OutboundInterface {
  readonly ip: string;
  readonly port: number;
}

/** The IP an outbound `interface` without one (`:9090`) binds to. */
export const DEFAULT_OUTBOUND_IP = "127.0.0.1";

/** A legacy inbound `interface` (`IP:DATAPLANE_PORT:WORKLOAD_PORT`, IPv6 in brackets), or undefined when it does not parse. */
export function parseInboundInterface(text: string): InboundInterface | undefined {
  const workloadColon = text.lastIndexOf(":");
  if (workloadColon < 0) return undefined;
  const dataplane = splitHostPort(text.slice(0, workloadColon));
  const servicePort = text.slice(workloadColon + 1);
  if (
    dataplane === undefined ||
    !isIpAddress(dataplane.host) ||
    !isPortNumber(dataplane.port) ||
    !isPortNumber(servicePort)
  ) {
    return undefined;
  }
  return { ip: dataplane.host, port: Number(dataplane.port), servicePort: Number(servicePort) };
}

/** Whether a legacy inbound `interface` parses as `IP:DATAPLANE_PORT:WORKLOAD_PORT` (IPv6 in brackets). */
export function isInboundInterface(text: string): boolean {
  return parseInboundInterface(text) !== undefined;
}

/** A legacy outbound `interface` (`[IP]:DATAPLANE_PORT`; `:9090` binds to 127.0.0.1), or undefined when it does not parse. */
export function parseOutboundInterface(text: string): OutboundInterface | undefined {
  const colon = text.lastIndexOf(":");
  if (colon < 0) return undefined;
  if (colon === 0) {
    const port = text.slice(1);
    return isPortNumber(port) ? { ip: DEFAULT_OUTBOUND_IP, port: Number(port) } : undefined;
  }
  const parts = splitHostPort(text);
  if (parts === undefined || !isIpAddress(parts.host) || !isPortNumber(parts.port)) return undefined;
  return { ip: parts.host, port: Number(parts.port) };
}

/** Whether a legacy outbound `interface` parses as `[IP]:DATAPLANE_PORT` (`:9090` binds to 127.0.0.1). */
export function isOutboundInterface(text: string): boolean {
  return parseOutboundInterface(text) !== undefined;
}
