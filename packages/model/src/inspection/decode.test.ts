import { describe, expect, it } from "vitest";
import { ResourceDecodeError } from "../errors.js";
import { decodeDataplaneInspection, decodePolicyDataplanesItem } from "./decode.js";
import { ANY, inspectDemo, policy, rule, service, to } from "./test-support/fixtures.js";

const answer = JSON.stringify(
  inspectDemo(
    "web-1",
    [
      policy("TrafficRoute", "tr", {
        ...rule(ANY, service("backend")),
        conf: to(service("backend")),
      }),
    ],
    true,
  ),
);
const body = () =>
  JSON.parse(answer) as Record<string, unknown> & { items: Record<string, unknown>[] };

const causesOf = (decode: () => unknown) => {
  try {
    decode();
  } catch (error) {
    if (error instanceof ResourceDecodeError) return error.causes;
    throw error;
  }
  throw new Error("expected a ResourceDecodeError");
};

describe("decoding inspection bodies", () => {
  it("accepts what inspectDataplane answers, unchanged", () => {
    expect(decodeDataplaneInspection(body())).toEqual(body());
  });

  it("decodes matched policies with the codec, so numeric strings read as numbers", () => {
    const sent = body();
    const outbound = sent.items[2] as {
      matchedPolicies: { TrafficRoute: { conf: { weight: unknown }[] }[] };
    };
    outbound.matchedPolicies.TrafficRoute[0]!.conf[0]!.weight = "100";
    const decoded = decodeDataplaneInspection(sent);
    expect(decoded).toEqual(body());
  });

  it("names the path of a policy the codec rejects", () => {
    const sent = body();
    (
      sent.items[2] as { matchedPolicies: { TrafficRoute: Record<string, unknown>[] } }
    ).matchedPolicies.TrafficRoute[0]!.colour = "red";
    expect(causesOf(() => decodeDataplaneInspection(sent))).toEqual([
      { field: "items[2].matchedPolicies.TrafficRoute[0].colour", message: "unknown field" },
    ]);
  });

  it("names the path of an envelope field of the wrong type", () => {
    const sent = body();
    sent.next = "http://elsewhere";
    (sent.items[1] as { effective: { rbac: unknown } }).effective.rbac = "no";
    const fields = causesOf(() => decodeDataplaneInspection(sent)).map((cause) => cause.field);
    expect(fields).toContain("next");
    expect(fields).toContain("items[1]");
  });

  it("checks the items of a policy's dataplanes", () => {
    const item = {
      dataplane: { mesh: "demo", name: "web-1" },
      attachments: [{ type: "dataplane" }, { type: "outbound", name: "127.0.0.1:1", service: "a" }],
    };
    expect(decodePolicyDataplanesItem(item)).toEqual(item);
    expect(
      causesOf(() =>
        decodePolicyDataplanesItem({ dataplane: { mesh: "demo" }, attachments: [] }),
      ).map((c) => c.field),
    ).toContain("dataplane.name");
  });
});
