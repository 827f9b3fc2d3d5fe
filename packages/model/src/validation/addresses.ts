/**
 * Parsing of addresses as Kuma 0.4 did it with Go's net package, so that the
 * same values are accepted: IP literals (net.ParseIP), `host:port`
 * (net.SplitHostPort) and the legacy dataplane interface strings.
 */
import { isIP } from "node:net";

/** Whether `text` is an IPv4 dotted quad or an IPv6 literal (no brackets, no zone, as net.ParseIP). */
export function isIpAddress(text: string): boolean {
  // node accepts IPv6 zones ("fe80::1%eth0"); Go's ParseIP does not.
  return !text.includes("%") && isIP(text) !== 0;
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

/** Whether a legacy inbound `interface` parses as `IP:DATAPLANE_PORT:WORKLOAD_PORT` (IPv6 in brackets). */
export function isInboundInterface(text: string): boolean {
  const workloadColon = text.lastIndexOf(":");
  if (workloadColon < 0) return false;
  const dataplane = splitHostPort(text.slice(0, workloadColon));
  return (
    dataplane !== undefined &&
    isIpAddress(dataplane.host) &&
    isPortNumber(dataplane.port) &&
    isPortNumber(text.slice(workloadColon + 1))
  );
}

/** Whether a legacy outbound `interface` parses as `[IP]:DATAPLANE_PORT` (`:9090` binds to 127.0.0.1). */
export function isOutboundInterface(text: string): boolean {
  const colon = text.lastIndexOf(":");
  if (colon < 0) return false;
  if (colon === 0) return isPortNumber(text.slice(1));
  const parts = splitHostPort(text);
  return parts !== undefined && isIpAddress(parts.host) && isPortNumber(parts.port);
}
