import { describe, expect, it } from "vitest";
import type { Dataplane, Networking } from "../resources/dataplane.js";
import { dataplaneAttachments } from "./attachments.js";

const dataplane = (networking: Networking): Dataplane => ({
  type: "Dataplane",
  mesh: "m",
  name: "dp",
  networking,
});

describe("attachment names", () => {
  it.each<[string, Networking, string]>([
    [
      "IP:port:servicePort from networking.address",
      { address: "10.0.0.1", inbound: [{ port: 8080, servicePort: 80, tags: { service: "web" } }] },
      "10.0.0.1:8080:80",
    ],
    [
      "the inbound's own address first",
      {
        address: "10.0.0.1",
        inbound: [{ address: "10.0.0.9", port: 8080, servicePort: 80, tags: { service: "web" } }],
      },
      "10.0.0.9:8080:80",
    ],
    [
      "servicePort defaults to the port",
      { address: "10.0.0.4", inbound: [{ port: 6379, tags: { service: "redis" } }] },
      "10.0.0.4:6379:6379",
    ],
    [
      "the legacy interface, parsed",
      { inbound: [{ interface: "192.168.0.1:09090:8080", tags: { service: "web" } }] },
      "192.168.0.1:9090:8080",
    ],
    [
      "IPv6 in brackets",
      { address: "fd00::1", inbound: [{ port: 8080, servicePort: 80, tags: { service: "web" } }] },
      "[fd00::1]:8080:80",
    ],
    [
      "a legacy IPv6 interface",
      { inbound: [{ interface: "[2001:db8::1]:7070:6060", tags: { service: "web" } }] },
      "[2001:db8::1]:7070:6060",
    ],
  ])("inbound: %s", (_, networking, name) => {
    expect(
      dataplaneAttachments(dataplane(networking)).inbounds.map((inbound) => inbound.name),
    ).toEqual([name]);
  });

  it.each<[string, Networking["outbound"], string[]]>([
    ["127.0.0.1:port by default", [{ port: 10001, service: "backend" }], ["127.0.0.1:10001"]],
    [
      "the outbound's address",
      [{ address: "10.0.0.7", port: 10001, service: "backend" }],
      ["10.0.0.7:10001"],
    ],
    [
      "a legacy interface without an IP binds to 127.0.0.1",
      [{ interface: ":10001", service: "backend" }],
      ["127.0.0.1:10001"],
    ],
    [
      "a legacy interface with an IP",
      [{ interface: "10.0.0.2:10002", service: "redis" }],
      ["10.0.0.2:10002"],
    ],
    ["a legacy IPv6 interface", [{ interface: "[::1]:8080", service: "redis" }], ["[::1]:8080"]],
    [
      "two outbounds of one service are two attachments",
      [
        { port: 1, service: "a" },
        { port: 2, service: "a" },
      ],
      ["127.0.0.1:1", "127.0.0.1:2"],
    ],
  ])("outbound: %s", (_, outbound, names) => {
    const attachments = dataplaneAttachments(
      dataplane({ address: "10.0.0.1", inbound: [{ port: 1, tags: { service: "x" } }], outbound }),
    );
    expect(attachments.outbounds.map((o) => o.name)).toEqual(names);
  });

  it("takes the service of an inbound from its tags and of an outbound from its field", () => {
    const attachments = dataplaneAttachments(
      dataplane({
        address: "10.0.0.1",
        inbound: [{ port: 1, tags: { service: "web", version: "v1" } }],
        outbound: [{ port: 2, service: "db" }],
      }),
    );
    expect(attachments.inbounds.map((i) => i.service)).toEqual(["web"]);
    expect(attachments.outbounds.map((o) => o.service)).toEqual(["db"]);
  });

  it("gives a gateway no inbound but its tags to match", () => {
    const attachments = dataplaneAttachments(
      dataplane({ address: "10.0.0.5", gateway: { tags: { service: "gateway" } } }),
    );
    expect(attachments.inbounds).toEqual([]);
    expect(attachments.tagSets).toEqual([{ service: "gateway" }]);
  });

  it("matches against each inbound's tags separately, in spec order", () => {
    const attachments = dataplaneAttachments(
      dataplane({
        address: "10.0.0.1",
        inbound: [
          { port: 1, tags: { service: "a" } },
          { port: 2, tags: { service: "b", version: "v1" } },
        ],
      }),
    );
    expect(attachments.tagSets).toEqual([{ service: "a" }, { service: "b", version: "v1" }]);
  });
});
