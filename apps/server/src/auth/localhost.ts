/**
 * Localhost-is-admin (auth.md §2.2): a request is the local admin only when
 * every sign says that a process on this machine sent it directly — not a
 * proxy (the GUI's among them), not a browser page of another origin.
 */
import type { IncomingMessage } from "node:http";
import { isIPv4 } from "node:net";

/** Whether an address is loopback: 127.0.0.0/8, ::1, or 127.x mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  if (address === "::1") return true;
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  return isIPv4(v4) && v4.startsWith("127.");
}

/** The host part of a `Host` header or URL host (`[::1]:5681` → `::1`), or undefined when malformed. */
function hostPart(hostHeader: string): string | undefined {
  if (hostHeader.startsWith("[")) {
    const end = hostHeader.indexOf("]");
    if (end === -1) return undefined;
    const rest = hostHeader.slice(end + 1);
    if (rest !== "" && !/^:\d{1,5}$/.test(rest)) return undefined;
    return hostHeader.slice(1, end);
  }
  const match = /^([^:]+)(?::\d{1,5})?$/.exec(hostHeader);
  return match?.[1];
}

/** Whether a `Host` value names this machine's loopback interface. */
export function isLoopbackHost(hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  const host = hostPart(hostHeader)?.toLowerCase();
  return host !== undefined && (host === "localhost" || isLoopbackAddress(host));
}

const SAFE_FETCH_SITES = new Set(["same-origin", "none"]);

/** Whether the request is the local admin: all five conditions of auth.md §2.2. */
export function isLocalAdminRequest(req: IncomingMessage): boolean {
  if (!isLoopbackAddress(req.socket.remoteAddress)) return false;
  const headers = req.headers;
  if (headers.forwarded !== undefined || headers["x-forwarded-for"] !== undefined || headers["x-real-ip"] !== undefined) {
    return false;
  }
  const host = headers.host;
  if (!isLoopbackHost(host)) return false;
  const fetchSite = headers["sec-fetch-site"];
  if (fetchSite !== undefined && !SAFE_FETCH_SITES.has(fetchSite.toLowerCase())) return false;
  const origin = headers.origin;
  return origin === undefined || isSameLoopbackOrigin(origin, host!);
}

/** An `http`/`https` origin on a loopback host with the same host:port as `Host`. */
function isSameLoopbackOrigin(origin: string, host: string): boolean {
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return false;
  if (url.origin !== origin.replace(/\/$/, "")) return false;
  return isLoopbackHost(url.host) && url.host.toLowerCase() === host.toLowerCase();
}
