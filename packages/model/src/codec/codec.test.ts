import { describe, expect, it } from "vitest";
import {
  DataplaneInsightType,
  DataplaneType,
  HealthCheckType,
  MeshType,
  ResourceDecodeError,
  TrafficRouteType,
  encodeResource,
  parseResource,
  parseResourceBody,
  type ResourceType,
} from "../index.js";

/** The causes of a body that fails to decode (fails the test if it decodes). */
function causesOf(type: ResourceType, body: unknown): { failure: string; causes: readonly unknown[] } {
  try {
    parseResourceBody(type, typeof body === "string" ? body : JSON.stringify(body));
  } catch (error) {
    expect(error).toBeInstanceOf(ResourceDecodeError);
    const e = error as ResourceDecodeError;
    return { failure: e.failure, causes: e.causes };
  }
  throw new Error("expected the body to be rejected");
}

const dataplane = (networking: unknown) => ({ type: "Dataplane", mesh: "default", name: "dp", networking });

describe("decoding a body", () => {
  it("reports malformed JSON, an empty body and a non-object as Bad Request with field \"\"", () => {
    for (const text of ["{", "", "[1]", "3", '"x"', "null"]) {
      const { failure, causes } = causesOf(DataplaneType, text);
      expect(failure).toBe("malformed");
      expect(causes).toHaveLength(1);
      expect(causes[0]).toMatchObject({ field: "" });
    }
  });

  it("rejects unknown fields with their JSON path", () => {
    expect(causesOf(DataplaneType, { ...dataplane({ inbund: [] }), extra: 1 })).toEqual({
      failure: "invalid",
      causes: [
        { field: "networking.inbund", message: "unknown field" },
        { field: "extra", message: "unknown field" },
      ],
    });
  });

  it("reports wrong JSON types with the messages of resources.md §2", () => {
    const { causes } = causesOf(
      DataplaneType,
      dataplane({
        address: 1,
        inbound: [{ port: "abc", servicePort: true, tags: { service: 1 } }],
        outbound: {},
        gateway: [],
      }),
    );
    expect(causes).toEqual([
      { field: "networking.address", message: "must be a string" },
      { field: "networking.inbound[0].port", message: "must be an integer" },
      { field: "networking.inbound[0].servicePort", message: "must be an integer" },
      { field: 'networking.inbound[0].tags["service"]', message: "must be a string" },
      { field: "networking.outbound", message: "must be an array" },
      { field: "networking.gateway", message: "must be an object" },
    ]);
  });

  it("rejects negative, fractional and too large unsigned integers", () => {
    for (const port of [-1, 1.5, 4294967296, "-3", "2.5"]) {
      expect(causesOf(DataplaneType, dataplane({ inbound: [{ port }] })).causes).toEqual([
        { field: "networking.inbound[0].port", message: "must be an unsigned 32-bit integer" },
      ]);
    }
  });

  it("accepts integers as numbers or numeric strings", () => {
    const body = parseResourceBody(DataplaneType, JSON.stringify(dataplane({ inbound: [{ port: "8080", servicePort: 80 }] })));
    expect(body.networking?.inbound?.[0]).toEqual({ port: 8080, servicePort: 80 });
  });

  it("reads 64-bit counters from numbers or strings and writes them as strings", () => {
    const insight = parseResource(
      DataplaneInsightType,
      JSON.stringify({
        type: "DataplaneInsight",
        mesh: "default",
        name: "dp",
        subscriptions: [{ status: { total: { responsesSent: 3, responsesRejected: "18446744073709551615" } } }],
      }),
    );
    expect(JSON.parse(encodeResource(insight)).subscriptions[0].status.total).toEqual({
      responsesSent: "3",
      responsesRejected: "18446744073709551615",
    });
    expect(
      causesOf(DataplaneInsightType, {
        subscriptions: [{ status: { total: { responsesSent: "18446744073709551616", responsesAcknowledged: -1, responsesRejected: "x" } } }],
      }).causes,
    ).toEqual([
      { field: "subscriptions[0].status.total.responsesSent", message: "must be an unsigned 64-bit integer" },
      { field: "subscriptions[0].status.total.responsesAcknowledged", message: "must be an unsigned 64-bit integer" },
      { field: "subscriptions[0].status.total.responsesRejected", message: "must be an integer" },
    ]);
  });

  it("normalises durations: Go style in, proto style out", () => {
    const cases: [string, string][] = [
      ["1m", "60s"],
      ["250ms", "0.250s"],
      ["1h2m", "3720s"],
      ["1.5s", "1.500s"],
      ["0.100s", "0.100s"],
      ["10s", "10s"],
      ["1us", "0.000001s"],
      ["1ns", "0.000000001s"],
      ["-2s", "-2s"],
      ["0s", "0s"],
    ];
    for (const [input, output] of cases) {
      const check = parseResourceBody(
        HealthCheckType,
        JSON.stringify({ conf: { activeChecks: { interval: input } } }),
      );
      expect(check.conf?.activeChecks?.interval, input).toBe(output);
    }
    for (const interval of ["10", 10, "1d", "s", "1.s5", ""]) {
      expect(causesOf(HealthCheckType, { conf: { activeChecks: { interval } } }).causes).toEqual([
        { field: "conf.activeChecks.interval", message: 'must be a duration such as "10s"' },
      ]);
    }
  });

  it("keeps timestamps exact to the nanosecond and converts offsets to UTC", () => {
    const cases: [string, string][] = [
      ["2019-10-24T14:04:56.820350Z", "2019-10-24T14:04:56.820350Z"],
      ["2019-10-24T14:04:56.123456789Z", "2019-10-24T14:04:56.123456789Z"],
      ["2019-10-24T14:04:56Z", "2019-10-24T14:04:56Z"],
      ["2019-10-24T14:04:56.5Z", "2019-10-24T14:04:56.500Z"],
      ["2019-10-24T16:04:56.820350+02:00", "2019-10-24T14:04:56.820350Z"],
      ["2019-12-31T23:30:00-01:00", "2020-01-01T00:30:00Z"],
    ];
    for (const [input, output] of cases) {
      const body = parseResourceBody(
        DataplaneInsightType,
        JSON.stringify({ subscriptions: [{ connectTime: input }] }),
      );
      expect(body.subscriptions?.[0]?.connectTime, input).toBe(output);
    }
    for (const connectTime of ["2019-13-01T00:00:00Z", "2019-02-30T00:00:00Z", "yesterday", 1571925896, "2019-10-24 14:04:56Z"]) {
      expect(causesOf(DataplaneInsightType, { subscriptions: [{ connectTime }] }).causes).toEqual([
        { field: "subscriptions[0].connectTime", message: "must be an RFC 3339 timestamp" },
      ]);
    }
  });

  it("drops zero values but keeps present empty messages", () => {
    const body = parseResourceBody(
      MeshType,
      JSON.stringify({ type: "Mesh", name: "m", mtls: { enabled: false, ca: { builtin: {} } }, tracing: {}, logging: { backends: [] } }),
    );
    expect(body).toEqual({ type: "Mesh", name: "m", mtls: { ca: { builtin: {} } }, tracing: {}, logging: {} });
  });

  it("treats null as not set", () => {
    const body = parseResourceBody(MeshType, JSON.stringify({ name: "m", mtls: null, tracing: { defaultBackend: null } }));
    expect(body).toEqual({ name: "m", tracing: {} });
  });

  it("rejects two members of a oneof", () => {
    expect(causesOf(MeshType, { mtls: { ca: { builtin: {}, provided: {} } } }).causes).toEqual([
      { field: "mtls.ca", message: "must have exactly one of: builtin, provided" },
    ]);
    expect(
      causesOf(MeshType, { logging: { backends: [{ file: { path: "/x" }, tcp: { address: "h:1" } }] } }).causes,
    ).toEqual([{ field: "logging.backends[0]", message: "must have exactly one of: file, tcp" }]);
  });

  it("accepts the meta fields, and a `mesh` key in a Mesh body, which it drops", () => {
    const body = parseResourceBody(
      MeshType,
      JSON.stringify({ type: "Mesh", name: "m", mesh: "m", creationTime: "2020-01-01T00:00:00Z", modificationTime: "2020-01-02T00:00:00Z" }),
    );
    expect(body).toEqual({
      type: "Mesh",
      name: "m",
      creationTime: "2020-01-01T00:00:00Z",
      modificationTime: "2020-01-02T00:00:00Z",
    });
  });

  it("keeps empty elements of repeated fields and empty map values for validation to report", () => {
    const route = parseResourceBody(
      TrafficRouteType,
      JSON.stringify({ sources: [{}, { match: { service: "" } }], conf: [{ weight: 0 }] }),
    );
    expect(route.sources).toEqual([{}, { match: { service: "" } }]);
    expect(route.conf).toEqual([{}]);
  });

  it("handles `__proto__` as an ordinary key", () => {
    const route = parseResourceBody(
      TrafficRouteType,
      '{"sources": [{"match": {"__proto__": "x", "service": "web"}}]}',
    );
    const match = route.sources?.[0]?.match ?? {};
    expect(Object.getPrototypeOf(match)).toBe(Object.prototype);
    expect(Object.keys(match)).toEqual(["__proto__", "service"]);
    expect(causesOf(TrafficRouteType, '{"__proto__": {"x": 1}}').causes).toEqual([
      { field: "__proto__", message: "unknown field" },
    ]);
  });
});

describe("encoding a resource", () => {
  it("writes meta first, spec fields in schema order, and maps with sorted keys", () => {
    const text = encodeResource({
      networking: {
        inbound: [{ tags: { version: "1", service: "web" }, port: 1 }],
        address: "10.0.0.1",
      },
      name: "dp",
      mesh: "default",
      type: "Dataplane",
    });
    expect(text).toBe(
      '{"type":"Dataplane","mesh":"default","name":"dp","networking":{"address":"10.0.0.1","inbound":[{"port":1,"tags":{"service":"web","version":"1"}}]}}',
    );
  });

  it("reads an empty Mesh back as type and name only", () => {
    expect(encodeResource({ type: "Mesh", name: "x" })).toBe('{"type":"Mesh","name":"x"}');
  });

  it("sorts map keys by code point, as Go does", () => {
    const text = encodeResource({
      type: "TrafficRoute",
      mesh: "m",
      name: "r",
      sources: [{ match: { "\u{1F600}": "a", "\uFF21": "b", B: "c", a: "d" } }],
    });
    expect(Object.keys(JSON.parse(text).sources[0].match)).toEqual(["B", "a", "\uFF21", "\u{1F600}"]);
  });

  it("writes integer-like map keys in code-point order too, and escapes what JSON must", () => {
    const text = encodeResource({
      type: "TrafficRoute",
      mesh: "m",
      name: "r",
      sources: [{ match: { "10": "a", "9": "b", "": "c", 'q"\\\n\ud800': "d\u0001" } }],
    });
    expect(text).toBe(
      '{"type":"TrafficRoute","mesh":"m","name":"r","sources":[{"match":{"":"c","10":"a","9":"b","q\\"\\\\\\n\\ud800":"d\\u0001"}}]}',
    );
  });
});
