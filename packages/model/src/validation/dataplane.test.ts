import { describe, expect, it } from "vitest";
import { DataplaneType } from "../registry.js";
import { validateDataplane } from "./dataplane.js";
import { decodeSpec } from "./test-support/resources.js";

const causesOf = (spec: Record<string, unknown>) => validateDataplane(decodeSpec(DataplaneType, spec));
const withNetworking = (networking: Record<string, unknown>) => causesOf({ networking });

const inbound = { port: 11011, servicePort: 11012, tags: { service: "backend" } };
const outbound = { port: 33033, service: "database" };

describe("validateDataplane", () => {
  it("accepts inbounds and outbounds with IPv4 or IPv6 addresses", () => {
    expect(withNetworking({ address: "127.0.0.1", inbound: [inbound], outbound: [outbound] })).toEqual([]);
    expect(
      withNetworking({
        address: "2001:db8::1",
        inbound: [{ ...inbound, address: "::1", tags: { service: "b", protocol: "HTTP" } }],
        outbound: [{ ...outbound, address: "127.0.0.2" }],
      }),
    ).toEqual([]);
  });

  it("accepts a gateway dataplane", () => {
    expect(withNetworking({ address: "10.0.0.1", gateway: { tags: { service: "edge" } } })).toEqual([]);
  });

  it("treats a body without networking as an empty one", () => {
    expect(causesOf({})).toEqual([
      { field: "networking", message: "has to contain at least one inbound interface or gateway" },
      { field: "networking.address", message: "address has to be valid IP address" },
    ]);
  });

  it("rejects inbounds together with a gateway", () => {
    expect(
      withNetworking({ address: "10.0.0.1", inbound: [inbound], gateway: { tags: { service: "edge" } } }),
    ).toEqual([{ field: "networking", message: "inbound cannot be defined both with gateway" }]);
  });

  it("requires networking.address to be an IP literal", () => {
    for (const address of ["", "localhost", "1.2.3.4:80", "[::1]", "fe80::1%eth0"]) {
      expect(withNetworking({ address, inbound: [inbound] })).toEqual([
        { field: "networking.address", message: "address has to be valid IP address" },
      ]);
    }
  });

  it("requires the gateway's service tag and non-empty values", () => {
    expect(withNetworking({ address: "10.0.0.1", gateway: {} })).toEqual([
      { field: 'networking.gateway.tags["service"]', message: "tag has to exist" },
    ]);
    expect(withNetworking({ address: "10.0.0.1", gateway: { tags: { zone: "", b: "", service: "edge" } } })).toEqual([
      { field: 'networking.gateway.tags["b"]', message: "tag value cannot be empty" },
      { field: 'networking.gateway.tags["zone"]', message: "tag value cannot be empty" },
    ]);
  });

  it("checks an inbound's port, servicePort and address", () => {
    expect(
      withNetworking({ address: "10.0.0.1", inbound: [{ port: 70000, servicePort: 65536, address: "host", tags: { service: "b" } }] }),
    ).toEqual([
      { field: "networking.inbound[0].port", message: "port has to be in range of [1, 65535]" },
      { field: "networking.inbound[0].servicePort", message: "servicePort has to be in range of [0, 65535]" },
      { field: "networking.inbound[0].address", message: "address has to be valid IP address" },
    ]);
  });

  it("requires an inbound's port but not its servicePort", () => {
    expect(withNetworking({ address: "10.0.0.1", inbound: [{ tags: { service: "b" } }] })).toEqual([
      { field: "networking.inbound[0].port", message: "port has to be in range of [1, 65535]" },
    ]);
  });

  it("checks an inbound's tags: service, protocol, then empty values in key order", () => {
    expect(
      withNetworking({ address: "10.0.0.1", inbound: [{ port: 1, tags: { version: "", protocol: "grpc", env: "" } }] }),
    ).toEqual([
      { field: 'networking.inbound[0].tags["service"]', message: "tag has to exist" },
      {
        field: 'networking.inbound[0].tags["protocol"]',
        message: 'tag "protocol" has an invalid value "grpc". Allowed values: http, tcp',
      },
      { field: 'networking.inbound[0].tags["env"]', message: "tag value cannot be empty" },
      { field: 'networking.inbound[0].tags["version"]', message: "tag value cannot be empty" },
    ]);
  });

  it("reports an empty protocol both as invalid and as empty", () => {
    expect(withNetworking({ address: "10.0.0.1", inbound: [{ port: 1, tags: { service: "b", protocol: "" } }] })).toEqual([
      {
        field: 'networking.inbound[0].tags["protocol"]',
        message: 'tag "protocol" has an invalid value "". Allowed values: http, tcp',
      },
      { field: 'networking.inbound[0].tags["protocol"]', message: "tag value cannot be empty" },
    ]);
  });

  it("accepts protocol values case-insensitively", () => {
    expect(withNetworking({ address: "10.0.0.1", inbound: [{ port: 1, tags: { service: "b", protocol: "Tcp" } }] })).toEqual([]);
  });

  it("checks each outbound's port, address and service", () => {
    expect(
      withNetworking({ address: "10.0.0.1", inbound: [inbound], outbound: [outbound, { address: "db.local" }] }),
    ).toEqual([
      { field: "networking.outbound[1].port", message: "port has to be in range of [1, 65535]" },
      { field: "networking.outbound[1].address", message: "address has to be valid IP address" },
      { field: "networking.outbound[1].service", message: "cannot be empty" },
    ]);
  });

  it("reports networking-level causes, then address, gateway, inbounds and outbounds", () => {
    expect(
      withNetworking({
        address: "x",
        inbound: [{ tags: { service: "b" } }],
        outbound: [{ service: "db" }],
        gateway: { tags: { k: "" } },
      }),
    ).toEqual([
      { field: "networking", message: "inbound cannot be defined both with gateway" },
      { field: "networking.address", message: "address has to be valid IP address" },
      { field: 'networking.gateway.tags["service"]', message: "tag has to exist" },
      { field: 'networking.gateway.tags["k"]', message: "tag value cannot be empty" },
      { field: "networking.inbound[0].port", message: "port has to be in range of [1, 65535]" },
      { field: "networking.outbound[0].port", message: "port has to be in range of [1, 65535]" },
    ]);
  });

  describe("legacy interfaces", () => {
    it("accepts legacy inbounds and outbounds without networking.address", () => {
      expect(
        withNetworking({
          inbound: [
            { interface: "192.168.0.1:1234:5678", tags: { service: "backend" } },
            { interface: "[2001:db8::1]:7070:6060", tags: { service: "backend" } },
          ],
          outbound: [{ interface: ":3333", service: "elastic" }, { interface: "[::1]:8080", service: "x" }],
        }),
      ).toEqual([]);
    });

    it("rejects networking.address next to a legacy inbound", () => {
      expect(
        withNetworking({ address: "192.168.0.1", inbound: [{ interface: "192.168.0.1:1234:5678", tags: { service: "b" } }] }),
      ).toEqual([
        {
          field: "networking.inbound[0].interface",
          message:
            "interface cannot be defined with networking.address. Replace it with port, servicePort and networking.address",
        },
      ]);
    });

    it("rejects an interface mixed with the new fields, and requires an address then", () => {
      expect(
        withNetworking({
          inbound: [{ interface: "127.0.0.1:1234:5678", port: 1234, servicePort: 5678, address: "127.0.0.1", tags: { service: "b" } }],
        }),
      ).toEqual([
        { field: "networking.address", message: "address has to be valid IP address" },
        {
          field: "networking.inbound[0].interface",
          message: "interface cannot be defined with port. Replace it with port, servicePort and networking.address",
        },
        {
          field: "networking.inbound[0].interface",
          message: "interface cannot be defined with servicePort. Replace it with port, servicePort and networking.address",
        },
        {
          field: "networking.inbound[0].interface",
          message: "interface cannot be defined with address. Replace it with port, servicePort and networking.address",
        },
      ]);
    });

    it("rejects an unparsable legacy inbound interface", () => {
      expect(withNetworking({ inbound: [{ interface: "localhost:1234:5678", tags: { service: "b" } }] })).toEqual([
        {
          field: "networking.inbound[0].interface",
          message:
            "invalid format: expected format is DATAPLANE_IP:DATAPLANE_PORT:WORKLOAD_PORT , e.g. 192.168.0.100:9090:8080 or [2001:db8::1]:7070:6060",
        },
      ]);
    });

    it("rejects a legacy outbound interface with port or address, or unparsable", () => {
      expect(
        withNetworking({
          address: "10.0.0.1",
          inbound: [inbound],
          outbound: [
            { interface: ":3333", port: 3333, address: "127.0.0.1", service: "a" },
            { interface: "localhost:3333" },
          ],
        }),
      ).toEqual([
        {
          field: "networking.outbound[0].interface",
          message: "interface cannot be defined with port. Replace it with port and address",
        },
        {
          field: "networking.outbound[0].interface",
          message: "interface cannot be defined with address. Replace it with port and address",
        },
        {
          field: "networking.outbound[1].interface",
          message:
            "invalid format: expected format is DATAPLANE_IP:DATAPLANE_PORT where DATAPLANE_IP is optional. E.g. 127.0.0.1:9090, :9090, [::1]:8080",
        },
        { field: "networking.outbound[1].service", message: "cannot be empty" },
      ]);
    });
  });
});
