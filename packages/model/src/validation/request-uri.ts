/**
 * Which zipkin URLs Kuma 0.4 accepted: it parsed them with Go's
 * url.ParseRequestURI and then asked for the port. This is the subset of that
 * parser that decides acceptance and the host; no URL object is built.
 */

/** The parts of a request URI that validation needs. */
export interface RequestUri {
  /** `host`, `host:port` or `[ipv6]:port`; empty for opaque or path-only URIs. */
  readonly host: string;
}

const SCHEME_START = /^[A-Za-z]$/;
const SCHEME_CHAR = /^[A-Za-z0-9+\-.]$/;
// Userinfo characters RFC 3986 allows (Go's validUserinfo).
const USERINFO = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;
// Characters a host may carry unescaped (Go's shouldEscape in host mode), besides alphanumerics.
const HOST_CHAR = /^[A-Za-z0-9!$&'()*+,;=:[\]<>"\-_.~]$/;
const OPTIONAL_PORT = /^(?::\d*)?$/;
const HEX = /^[0-9A-Fa-f]{2}$/;

/** Parses `raw` like Go's url.ParseRequestURI; undefined when Go would return an error. */
export function parseRequestUri(raw: string): RequestUri | undefined {
  if (raw === "" || hasControlCharacter(raw)) return undefined;
  if (raw === "*") return { host: "" };
  const split = splitScheme(raw);
  if (split === undefined) return undefined;
  const { scheme } = split;
  // The query is split off but, as in Go, not validated.
  const question = split.rest.indexOf("?");
  let rest = question < 0 ? split.rest : split.rest.slice(0, question);
  if (!rest.startsWith("/")) {
    // A rootless path after a scheme is opaque (`zipkin:9411`): valid, but without a host.
    return scheme !== "" ? { host: "" } : undefined;
  }
  let host = "";
  if (scheme !== "" && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? "" : rest.slice(slash);
    const parsed = parseAuthority(authority);
    if (parsed === undefined) return undefined;
    host = parsed;
  }
  return hasValidEscapes(rest, false) ? { host } : undefined;
}

/** The port of a request URI's host: digits after the last colon, or "" when there is none. */
export function portOf(uri: RequestUri): string {
  const { host } = uri;
  const colon = host.lastIndexOf(":");
  if (colon < 0 || !OPTIONAL_PORT.test(host.slice(colon))) return "";
  return host.slice(colon + 1);
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function splitScheme(raw: string): { scheme: string; rest: string } | undefined {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === ":") return i === 0 ? undefined : { scheme: raw.slice(0, i), rest: raw.slice(i + 1) };
    if (SCHEME_START.test(c)) continue;
    if (i > 0 && SCHEME_CHAR.test(c)) continue;
    return { scheme: "", rest: raw };
  }
  return { scheme: "", rest: raw };
}

function parseAuthority(authority: string): string | undefined {
  const at = authority.lastIndexOf("@");
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (host === undefined) return undefined;
  if (at >= 0) {
    const userinfo = authority.slice(0, at);
    if (!USERINFO.test(userinfo) || !hasValidEscapes(userinfo, false)) return undefined;
  }
  return host;
}

function parseHost(host: string): string | undefined {
  if (host.startsWith("[")) {
    const end = host.lastIndexOf("]");
    if (end < 0 || !OPTIONAL_PORT.test(host.slice(end + 1))) return undefined;
  } else {
    const colon = host.lastIndexOf(":");
    if (colon >= 0 && !OPTIONAL_PORT.test(host.slice(colon))) return undefined;
  }
  return hasValidEscapes(host, true) ? host : undefined;
}

/**
 * Whether every `%` starts a two-digit hex escape. In a host, escapes may only
 * encode non-ASCII bytes (or `%25`, for IPv6 zones), and ASCII characters that
 * would need escaping are rejected.
 */
function hasValidEscapes(s: string, inHost: boolean): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    if (c === "%") {
      const digits = s.slice(i + 1, i + 3);
      if (!HEX.test(digits)) return false;
      if (inHost && parseInt(digits.charAt(0), 16) < 8 && digits !== "25") return false;
      i += 2;
    } else if (inHost && c.charCodeAt(0) < 0x80 && !HOST_CHAR.test(c)) {
      return false;
    }
  }
  return true;
}
