/**
 * The check Kuma 0.4 made on a ProxyTemplate's raw Envoy resource: YAML or
 * JSON text holding an xDS v2 resource named by `'@type'`. Only what Kuma's
 * messages reveal is reproduced; deeper Envoy validation is out of scope.
 * Reasons mirror the Go errors users saw where Kuma's tests pin them down.
 */
import { parse } from "yaml";
import { isJsonObject } from "../codec/schema-walk.js";
import { goQuote } from "./go-quote.js";

/** xDS v2 message names a raw resource may have, and whether Envoy requires its `name`. */
const XDS_TYPES: Readonly<Record<string, { readonly requiresName: boolean }>> = {
  "envoy.api.v2.Cluster": { requiresName: true },
  "envoy.api.v2.Listener": { requiresName: true },
  "envoy.api.v2.RouteConfiguration": { requiresName: false },
  "envoy.api.v2.ClusterLoadAssignment": { requiresName: false },
};

/** Why `text` is not a valid raw Envoy resource, or undefined when it is valid. */
export function envoyResourceError(text: string): string | undefined {
  let value: unknown;
  try {
    // `logLevel: "error"`: a library must not print YAML warnings (e.g. unknown tags).
    value = parse(text, { logLevel: "error" });
  } catch (error) {
    return yamlErrorReason(error);
  }
  if (value === null || value === undefined) return "Any JSON doesn't have '@type'";
  if (!isJsonObject(value)) {
    return `json: cannot unmarshal ${goJsonKind(value)} into Go value of type map[string]*json.RawMessage`;
  }
  const typeUrl = Object.hasOwn(value, "@type") ? value["@type"] : undefined;
  if (typeUrl === undefined || typeUrl === null) return "Any JSON doesn't have '@type'";
  if (typeof typeUrl !== "string") return `can't unmarshal Any's '@type': ${goQuote(JSON.stringify(typeUrl))}`;
  // As protobuf's Any resolver does, only the part after the last slash names the type.
  const messageName = typeUrl.slice(typeUrl.lastIndexOf("/") + 1);
  const xdsType = Object.hasOwn(XDS_TYPES, messageName) ? XDS_TYPES[messageName] : undefined;
  if (xdsType === undefined) return `unknown message type ${goQuote(messageName)}`;
  if (xdsType.requiresName) return nameError(messageName, value["name"]);
  return undefined;
}

function nameError(messageName: string, name: unknown): string | undefined {
  if (name !== undefined && name !== null && typeof name !== "string") {
    return `json: cannot unmarshal ${goJsonKind(name)} into Go value of type string`;
  }
  if (typeof name === "string" && name !== "") return undefined;
  const shortName = messageName.slice(messageName.lastIndexOf(".") + 1);
  return `invalid ${shortName}.Name: value length must be at least 1 bytes`;
}

/** The JSON kind as Go's encoding/json names it in unmarshal errors. */
function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return "array";
  switch (typeof value) {
    case "string":
      return "string";
    case "number":
    case "bigint":
      return "number";
    case "boolean":
      return "bool";
    default:
      return "object";
  }
}

/** The first line of a YAML error, without the source excerpt the `yaml` package appends. */
function yamlErrorReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split("\n")[0] ?? "").replace(/:$/, "");
}
