import { describe, expect, it } from "vitest";
import {
  isInboundInterface,
  isIpAddress,
  isOutboundInterface,
  isPortNumber,
  parseInboundInterface,
  parseOutboundInterface,
  splitHostPort,
} from "./addresses.js";

describe("isIpAddress", () => {
  it.each([
    "127.0.0.1",
    "0.0.0.0",
    "255.255.255.255",
    "::1",
    "::",
    "2001:db8::1",
    "::ffff:192.168.0.1",
    "2001:0db8:85a3:0000:0000:8a2e:0370:7334",
    "2001:DB8::8:800:200C:417A",
    "1::",
    "1:2:3:4:5:6::8",
    "1:2:3:4:5:6:1.2.3.4",
  ])("accepts %s", (ip) => {
    expect(isIpAddress(ip)).toBe(true);
  });

  it.each([
    "",
    "localhost",
    "1.2.3",
    "256.1.1.1",
    "01.2.3.4",
    "1.2.3.4.5",
    "[::1]",
    "fe80::1%eth0",
    " 1.2.3.4",
    "1.2.3.4:80",
    ":::",
    "1::2::3",
    "1:2:3:4:5:6:7",
    "1:2:3:4:5:6:7:8:9",
    "1:2:3:4:5:6:7::8",
    "12345::1",
    "g::1",
    "::1.2.3",
    "1.2.3.4::",
  ])(
    "rejects %j",
    (ip) => {
      expect(isIpAddress(ip)).toBe(false);
    },
  );
});

describe("splitHostPort", () => {
  it("splits host:port and [ipv6]:port", () => {
    expect(splitHostPort("kibana:1234")).toEqual({ host: "kibana", port: "1234" });
    expect(splitHostPort("[::1]:80")).toEqual({ host: "::1", port: "80" });
    expect(splitHostPort(":80")).toEqual({ host: "", port: "80" });
    expect(splitHostPort("host:")).toEqual({ host: "host", port: "" });
  });

  it.each(["kibana", "wrong-format:234:234", "::1:80", "[::1]", "[::1]80:1", "[::1:80", "a]:80", "[a]:[80"])(
    "rejects %j",
    (text) => {
      expect(splitHostPort(text)).toBeUndefined();
    },
  );
});

describe("isPortNumber", () => {
  it("accepts decimal digits in [1, 65535]", () => {
    expect(["1", "65535", "08080"].map(isPortNumber)).toEqual([true, true, true]);
  });

  it("rejects zero, out-of-range, signed and non-numeric values", () => {
    expect(["0", "65536", "+80", "-1", "", "8o", "99999999999999999999"].map(isPortNumber)).toEqual(
      Array(7).fill(false),
    );
  });
});

describe("legacy interfaces", () => {
  it("accepts inbound IP:DATAPLANE_PORT:WORKLOAD_PORT with IPv4 or bracketed IPv6", () => {
    expect(isInboundInterface("192.168.0.100:9090:8080")).toBe(true);
    expect(isInboundInterface("[2001:db8::1]:7070:6060")).toBe(true);
  });

  it.each(["192.168.0.100:9090", "localhost:9090:8080", ":9090:8080", "1.2.3.4:0:8080", "1.2.3.4:9090:70000", "2001:db8::1:7070:6060"])(
    "rejects inbound %j",
    (text) => {
      expect(isInboundInterface(text)).toBe(false);
    },
  );

  it("accepts outbound [IP]:PORT where the IP is optional", () => {
    expect(["127.0.0.1:9090", ":9090", "[::1]:8080"].map(isOutboundInterface)).toEqual([true, true, true]);
  });

  it("parses inbound interfaces into the dataplane's IP and port and the workload's port", () => {
    expect(parseInboundInterface("192.168.0.100:09090:8080")).toEqual({ ip: "192.168.0.100", port: 9090, servicePort: 8080 });
    expect(parseInboundInterface("[2001:db8::1]:7070:6060")).toEqual({ ip: "2001:db8::1", port: 7070, servicePort: 6060 });
    expect(parseInboundInterface("192.168.0.100:9090")).toBeUndefined();
  });

  it("parses outbound interfaces, binding those without an IP to 127.0.0.1", () => {
    expect(parseOutboundInterface(":10001")).toEqual({ ip: "127.0.0.1", port: 10001 });
    expect(parseOutboundInterface("10.0.0.1:9090")).toEqual({ ip: "10.0.0.1", port: 9090 });
    expect(parseOutboundInterface("[::1]:8080")).toEqual({ ip: "::1", port: 8080 });
    expect(parseOutboundInterface(":0")).toBeUndefined();
  });

  it.each(["9090", "localhost:9090", "127.0.0.1:", ":0", "::1:8080", "[]:8080"])("rejects outbound %j", (text) => {
    expect(isOutboundInterface(text)).toBe(false);
  });
});
