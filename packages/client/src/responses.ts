/**
 * Checks of response bodies at the trust boundary: resources with the
 * model's codec, the envelopes around them (list, index, catalog) by shape.
 * A body that does not fit becomes an InvalidResponseError with JSON paths.
 */
import {
  DataplaneOverview,
  ResourceDecodeError,
  decodeDataplaneInspection,
  decodePolicyDataplanesItem,
  decodeResource,
  decodeWire,
  type Catalog,
  type Cause,
  type DataplaneInspection,
  type PolicyDataplanesItem,
  type ResourceOf,
  type ResourceType,
} from "@kuma-ts/model";
import { InvalidResponseError } from "./errors.js";
import type { TransportResponse } from "./transport.js";

/** One page of a list. */
export interface Page<R> {
  /** How many items match in the whole collection, not just this page. */
  readonly total: number;
  readonly items: R[];
  /** The absolute URL of the next page, or null on the last page. */
  readonly next: string | null;
  /** The `offset` token of the next page (from `next`), or undefined on the last page. */
  readonly nextOffset: string | undefined;
  /**
   * The `Kuma-Resume-Token` of the moment the page was read, when the server
   * sends one: a watch from it sees exactly the changes made after this read.
   */
  readonly resumeToken: string | undefined;
}

/** What `GET /` answers. */
export interface IndexInfo {
  /** `Kuma` for every Kuma control plane. */
  readonly tagline: string;
  readonly version: string;
  readonly hostname?: string;
  readonly instanceId?: string;
}

/** Decodes one resource of the given type; the path prefixes causes (`items[3]`). */
export function resourceFrom<T extends ResourceType>(
  type: T,
  response: TransportResponse,
  value: unknown = response.body,
  path = "",
): ResourceOf<T> {
  return decoded(response, path, () => decodeResource(type, value));
}

/** Decodes a DataplaneOverview (a read-only projection, checked like a resource). */
export function overviewFrom(
  response: TransportResponse,
  value: unknown = response.body,
  path = "",
): DataplaneOverview {
  return decoded(response, path, () => {
    const overview = decodeWire(DataplaneOverview, value);
    const causes: Cause[] = [];
    if (overview.type !== "DataplaneOverview")
      causes.push({ field: "type", message: 'must be "DataplaneOverview"' });
    if (!overview.mesh) causes.push({ field: "mesh", message: "cannot be empty" });
    if (!overview.name) causes.push({ field: "name", message: "cannot be empty" });
    if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
    return overview;
  });
}

/** Decodes the inspection of a dataplane (its matched policies with the codec, the rest by its schema). */
export function inspectionFrom(response: TransportResponse): DataplaneInspection {
  return decoded(response, "", () => decodeDataplaneInspection(response.body));
}

/** Decodes one item of the dataplanes a policy applies to. */
export function policyDataplanesItemFrom(
  response: TransportResponse,
  value: unknown,
  path: string,
): PolicyDataplanesItem {
  return decoded(response, path, () => decodePolicyDataplanesItem(value));
}

/** Every page from `fetchPage`, following `nextOffset` from `offset` (one request per page). */
export async function* pagesOf<R>(
  fetchPage: (offset: string | undefined) => Promise<Page<R>>,
  offset: string | undefined,
): AsyncIterableIterator<Page<R>> {
  for (;;) {
    const page = await fetchPage(offset);
    yield page;
    if (page.nextOffset === undefined) return;
    offset = page.nextOffset;
  }
}

/** Checks the list envelope and decodes every item with `decodeItem`. */
export function pageFrom<R>(
  response: TransportResponse,
  decodeItem: (value: unknown, path: string) => R,
): Page<R> {
  const body = objectBody(response);
  const causes: Cause[] = [];
  if (!Array.isArray(body.items)) causes.push({ field: "items", message: "must be an array" });
  const total = body.total ?? (Array.isArray(body.items) ? body.items.length : 0);
  if (typeof total !== "number" || !Number.isInteger(total) || total < 0) {
    causes.push({ field: "total", message: "must be a non-negative integer" });
  }
  const next = body.next ?? null;
  if (next !== null && typeof next !== "string")
    causes.push({ field: "next", message: "must be a string or null" });
  if (causes.length > 0)
    throw new InvalidResponseError(response.method, response.url, response.status, causes);
  const items = (body.items as unknown[]).map((item, i) => decodeItem(item, `items[${i}]`));
  return {
    total: total as number,
    items,
    next: next as string | null,
    nextOffset: offsetOf(next as string | null),
    resumeToken: response.resumeToken,
  };
}

/** Whether the server answered 304: what the client has is still current. */
export function isNotModified(response: TransportResponse): boolean {
  return response.status === 304;
}

/** Checks the index answer (`GET /`). */
export function indexFrom(response: TransportResponse): IndexInfo {
  const body = objectBody(response);
  const causes: Cause[] = [];
  for (const field of ["tagline", "version"] as const) {
    if (typeof body[field] !== "string") causes.push({ field, message: "must be a string" });
  }
  for (const field of ["hostname", "instanceId"] as const) {
    if (body[field] !== undefined && typeof body[field] !== "string")
      causes.push({ field, message: "must be a string" });
  }
  if (causes.length > 0)
    throw new InvalidResponseError(response.method, response.url, response.status, causes);
  return body as unknown as IndexInfo;
}

/** Checks the catalog answer (`GET /catalog`). */
export function catalogFrom(response: TransportResponse): Catalog {
  const body = objectBody(response);
  const expected: Record<string, readonly string[]> = {
    bootstrap: ["url"],
    dataplaneToken: ["localUrl", "publicUrl"],
    admin: ["localUrl", "publicUrl"],
    monitoringAssignment: ["url"],
  };
  const causes: Cause[] = [];
  const apis = body.apis;
  if (!isRecord(apis)) {
    causes.push({ field: "apis", message: "must be an object" });
  } else {
    for (const [api, fields] of Object.entries(expected)) {
      const entry = apis[api];
      if (!isRecord(entry)) {
        causes.push({ field: `apis.${api}`, message: "must be an object" });
        continue;
      }
      for (const field of fields) {
        if (typeof entry[field] !== "string")
          causes.push({ field: `apis.${api}.${field}`, message: "must be a string" });
      }
    }
  }
  if (causes.length > 0)
    throw new InvalidResponseError(response.method, response.url, response.status, causes);
  return body as unknown as Catalog;
}

/** The body as a JSON object, or an InvalidResponseError. */
export function objectBody(response: TransportResponse): Record<string, unknown> {
  if (!isRecord(response.body)) {
    throw new InvalidResponseError(response.method, response.url, response.status, [
      { field: "", message: "the body must be a JSON object" },
    ]);
  }
  return response.body;
}

function decoded<R>(response: TransportResponse, path: string, decode: () => R): R {
  try {
    return decode();
  } catch (error) {
    if (!(error instanceof ResourceDecodeError)) throw error;
    const causes = error.causes.map((c) => ({
      field: joinPath(path, c.field),
      message: c.message,
    }));
    throw new InvalidResponseError(response.method, response.url, response.status, causes);
  }
}

function joinPath(prefix: string, field: string): string {
  if (!prefix) return field;
  if (!field) return prefix;
  return field.startsWith("[") ? prefix + field : `${prefix}.${field}`;
}

/** The `offset` query parameter of a `next` URL. */
function offsetOf(next: string | null): string | undefined {
  if (next === null) return undefined;
  try {
    return new URL(next, "http://localhost").searchParams.get("offset") ?? undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
