import { describe, expect, it } from "vitest";
import { ProxyTemplateType } from "../registry.js";
import { validateProxyTemplate } from "./proxy-template.js";
import { decodeSpec } from "./test-support/resources.js";

const causesOf = (spec: Record<string, unknown>) => validateProxyTemplate(decodeSpec(ProxyTemplateType, spec));

const selectors = [{ match: { service: "backend" } }];
const CLUSTER = `'@type': type.googleapis.com/envoy.api.v2.Cluster
connectTimeout: 5s
name: localhost:8443
type: STATIC
`;

describe("validateProxyTemplate", () => {
  it("accepts a template without selectors or conf", () => {
    expect(causesOf({})).toEqual([]);
  });

  it("accepts the default profile and a raw Cluster", () => {
    expect(
      causesOf({
        selectors,
        conf: { imports: ["default-proxy"], resources: [{ name: "n", version: "v1", resource: CLUSTER }] },
      }),
    ).toEqual([]);
  });

  it("requires tags including service in each selector", () => {
    expect(causesOf({ selectors: [{ match: {} }, { match: { "": "asdf" } }, { match: { service: "" } }] })).toEqual([
      { field: "selectors[0].match", message: "must have at least one tag" },
      { field: "selectors[0].match", message: 'mandatory tag "service" is missing' },
      { field: "selectors[1].match", message: "tag key must be non-empty" },
      { field: "selectors[1].match", message: 'mandatory tag "service" is missing' },
      { field: 'selectors[2].match["service"]', message: "tag value must be non-empty" },
    ]);
  });

  it("rejects empty and unknown imports", () => {
    expect(causesOf({ selectors, conf: { imports: ["", "unknown-profile", "default-proxy"] } })).toEqual([
      { field: "conf.imports[0]", message: "cannot be empty" },
      { field: "conf.imports[1]", message: "profile not found. Available profiles: default-proxy" },
    ]);
  });

  it("requires name, version and resource of each raw resource", () => {
    expect(causesOf({ selectors, conf: { resources: [{}] } })).toEqual([
      { field: "conf.resources[0].name", message: "cannot be empty" },
      { field: "conf.resources[0].version", message: "cannot be empty" },
      { field: "conf.resources[0].resource", message: "cannot be empty" },
    ]);
  });

  it("rejects resources that are not Envoy xDS resources", () => {
    const unnamedCluster = "'@type': type.googleapis.com/envoy.api.v2.Cluster\nconnectTimeout: 5s\n";
    expect(
      causesOf({
        selectors,
        conf: {
          resources: [
            { name: "a", version: "v1", resource: unnamedCluster },
            { name: "b", version: "v1", resource: "not-envoy-resource" },
            { name: "c", version: "v1", resource: "a: [" },
          ],
        },
      }),
    ).toEqual([
      {
        field: "conf.resources[0].resource",
        message: "native Envoy resource is not valid: invalid Cluster.Name: value length must be at least 1 bytes",
      },
      {
        field: "conf.resources[1].resource",
        message:
          "native Envoy resource is not valid: json: cannot unmarshal string into Go value of type map[string]*json.RawMessage",
      },
      {
        field: "conf.resources[2].resource",
        message:
          "native Envoy resource is not valid: Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 5",
      },
    ]);
  });

  it("reports selectors, then imports, then resources", () => {
    expect(causesOf({ selectors: [{ match: { region: "eu" } }], conf: { imports: ["x"], resources: [{ name: "n", version: "v" }] } })).toEqual([
      { field: "selectors[0].match", message: 'mandatory tag "service" is missing' },
      { field: "conf.imports[0]", message: "profile not found. Available profiles: default-proxy" },
      { field: "conf.resources[0].resource", message: "cannot be empty" },
    ]);
  });
});
