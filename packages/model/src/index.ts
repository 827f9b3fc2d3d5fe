/**
 * @kuma-ts/model — every Kuma resource defined once.
 *
 * @example
 * import { DataplaneType, parseResourceBody } from "@kuma-ts/model";
 * const body = parseResourceBody(DataplaneType, text); // throws ResourceDecodeError
 * const causes = DataplaneType.validate({ ...body, type: "Dataplane", mesh: "default", name: "dp-1" });
 */
export { Bool, Double, Duration, Message, Repeated, Str, StringMap, Timestamp, Uint32, Uint64 } from "./proto.js";
export type { MessageOptions, WireKind } from "./proto.js";

export { Cause, ErrorBody, ResourceDecodeError } from "./errors.js";
export type { DecodeFailure } from "./errors.js";

export { INVALID_NAME_MESSAGE, MAX_NAME_LENGTH, isValidName } from "./names.js";

export * from "./resources/index.js";

export {
  DataplaneInsightType,
  DataplaneType,
  HealthCheckType,
  MeshType,
  ProxyTemplateType,
  TrafficLogType,
  TrafficPermissionType,
  TrafficRouteType,
  TrafficTraceType,
  meshOf,
  meshScopedTypes,
  resourceTypeByName,
  resourceTypeByPath,
  resourceTypes,
} from "./registry.js";
export type {
  AnyResourceType,
  Resource,
  ResourceOf,
  ResourceScope,
  ResourceType,
  ResourceTypeName,
} from "./registry.js";

export {
  decodeResource,
  decodeResourceBody,
  decodeWire,
  encodeResource,
  encodeStampedResource,
  encodeWire,
  parseResource,
  parseResourceBody,
  toWire,
} from "./codec/resource-codec.js";
export type { ResourceBody } from "./codec/resource-codec.js";
export { compareCodePoints, parseJsonObject } from "./codec/decode.js";
export type { DecodeOptions } from "./codec/decode.js";
export {
  formatGoDuration,
  formatProtoDuration,
  nanosToMillis,
  parseDuration,
} from "./codec/duration.js";
export { formatTimestamp, parseTimestamp, timestampOf, timestampToMillis } from "./codec/timestamp.js";
export type { PreciseTime } from "./codec/timestamp.js";

export * from "./config/index.js";

export * from "./inspection/index.js";
