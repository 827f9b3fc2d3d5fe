/**
 * @kuma-ts/client — a typed client of the Kuma control plane API.
 *
 * @example
 * import { createClient } from "@kuma-ts/client";
 * import { DataplaneType } from "@kuma-ts/model";
 * const kuma = createClient({ baseUrl: "http://localhost:5681" });
 * const { items } = await kuma.resources(DataplaneType).list({ mesh: "default" });
 */
export { createClient, DEFAULT_TIMEOUT_MS } from "./client.js";
export type {
  ClientAuth,
  ClientOptions,
  DataplaneInspectionQuery,
  DataplaneOverviewQuery,
  DataplaneOverviewWatch,
  KumaClient,
  MeshEventsWatch,
  PolicyDataplanesQuery,
  UserTokenRequest,
} from "./client.js";
export { ApiError, InvalidResponseError, KumaClientError, NetworkError } from "./errors.js";
export type { ClientErrorCode } from "./errors.js";
export type {
  CollectionOf,
  DeleteOptions,
  IsMeshScoped,
  ListArgs,
  PageOptions,
  PutOptions,
  PutResult,
  ResourceClient,
  ResourceKey,
  Versioned,
  WatchArgs,
} from "./resource-client.js";
export type { IndexInfo, Page } from "./responses.js";
export type { Fetch } from "./transport.js";
export { DEFAULT_WATCH_IDLE_TIMEOUT_MS } from "./watch.js";
export type { WatchEvent, WatchOptions } from "./watch.js";
