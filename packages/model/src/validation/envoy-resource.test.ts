import { describe, expect, it } from "vitest";
import { envoyResourceError } from "./envoy-resource.js";

const CLUSTER_YAML = `'@type': type.googleapis.com/envoy.api.v2.Cluster
connectTimeout: 5s
name: localhost:8443
type: STATIC
`;

describe("envoyResourceError", () => {
  it.each([
    ["a Cluster in YAML", CLUSTER_YAML],
    ["a Listener in JSON", '{"@type": "type.googleapis.com/envoy.api.v2.Listener", "name": "l"}'],
    ["a RouteConfiguration without a name", "'@type': type.googleapis.com/envoy.api.v2.RouteConfiguration"],
    ["a ClusterLoadAssignment", "'@type': type.googleapis.com/envoy.api.v2.ClusterLoadAssignment\nclusterName: c"],
  ])("accepts %s", (_, text) => {
    expect(envoyResourceError(text)).toBeUndefined();
  });

  it.each([
    ["text that is not an object", "not-envoy-resource", "json: cannot unmarshal string into Go value of type map[string]*json.RawMessage"],
    ["a list", "- a", "json: cannot unmarshal array into Go value of type map[string]*json.RawMessage"],
    ["a number", "42", "json: cannot unmarshal number into Go value of type map[string]*json.RawMessage"],
    ["an object without @type", "name: x", "Any JSON doesn't have '@type'"],
    ["an empty document", "   ", "Any JSON doesn't have '@type'"],
    ["a non-string @type", "'@type': 12", `can't unmarshal Any's '@type': "12"`],
    ["an unknown type", "'@type': type.googleapis.com/envoy.api.v2.Foo", 'unknown message type "envoy.api.v2.Foo"'],
    ["a v3 type", "'@type': type.googleapis.com/envoy.config.cluster.v3.Cluster\nname: c", 'unknown message type "envoy.config.cluster.v3.Cluster"'],
    ["a Cluster without a name", "'@type': type.googleapis.com/envoy.api.v2.Cluster", "invalid Cluster.Name: value length must be at least 1 bytes"],
    ["a Listener with an empty name", '{"@type": "type.googleapis.com/envoy.api.v2.Listener", "name": ""}', "invalid Listener.Name: value length must be at least 1 bytes"],
    ["a Cluster with a numeric name", "'@type': type.googleapis.com/envoy.api.v2.Cluster\nname: 12", "json: cannot unmarshal number into Go value of type string"],
    ["broken YAML", "a: [", "Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 5"],
    ["duplicate keys", "'@type': a\n'@type': b", "Map keys must be unique at line 2, column 1"],
  ])("rejects %s", (_, text, reason) => {
    expect(envoyResourceError(text)).toBe(reason);
  });
});
