/** The client factory: typed methods for every resource type, plus the API's other endpoints. */
import {
  resourceTypeByName,
  type Catalog,
  type DataplaneInspection,
  type DataplaneOverview,
  type PolicyDataplanesItem,
  type PolicyType,
  type Resource,
  type ResourceType,
} from "@kuma-ts/model";
import { InvalidResponseError } from "./errors.js";
import {
  createResourceClient,
  type PageOptions,
  type ResourceClient,
  type Versioned,
} from "./resource-client.js";
import {
  catalogFrom,
  indexFrom,
  inspectionFrom,
  isNotModified,
  objectBody,
  overviewFrom,
  pageFrom,
  pagesOf,
  policyDataplanesItemFrom,
  resourceFrom,
  type IndexInfo,
  type Page,
} from "./responses.js";
import {
  createStreamOpener,
  createTransport,
  entityTag,
  type Fetch,
  type TransportOptions,
} from "./transport.js";
import { watchEvents, type WatchEvent, type WatchOptions } from "./watch.js";

/** How to reach the control plane. */
export interface ClientOptions {
  /** The API server's URL, e.g. `http://localhost:5681` (a path prefix is kept). */
  readonly baseUrl: string;
  /** The fetch to use; the global fetch by default. */
  readonly fetch?: Fetch;
  /** Headers sent with every request (e.g. authentication added by a proxy). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per request, including reading the body; 60 000 by default, 0 for none. */
  readonly timeoutMs?: number;
  /** Authentication (auth.md §5): a user token sent as `Authorization: Bearer`. Never logged. */
  readonly auth?: ClientAuth;
}

/** How the client authenticates. */
export interface ClientAuth {
  readonly type: "tokens";
  readonly token: string;
}

/** What `issueUserToken` asks for. */
export interface UserTokenRequest {
  readonly name: string;
  readonly groups?: readonly string[];
  /** Go duration syntax: `300ms`, `1.5h`, `24h`. */
  readonly validFor: string;
}

/** Which dataplane overviews: a mesh, tag filters, paging. */
export interface DataplaneOverviewQuery extends PageOptions {
  readonly mesh: string;
  /**
   * Only dataplanes with one inbound (or a gateway) carrying all these tags;
   * the value `*` matches any value of an existing key.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Which dataplane overviews to watch: a mesh and tag filters, as for the list. */
export interface DataplaneOverviewWatch extends WatchOptions {
  readonly mesh: string;
  /** As for `dataplaneOverviews`; a dataplane that starts or stops matching is `created` or `deleted`. */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Which changes of a mesh to watch: all of them (the Mesh included), or those of `types`. */
export interface MeshEventsWatch extends WatchOptions {
  readonly mesh: string;
  readonly types?: readonly ResourceType[];
}

/** Which dataplane to inspect. */
export interface DataplaneInspectionQuery {
  readonly mesh: string;
  readonly name: string;
  /** Add every attachment's candidates in decision order, with their ranks (`?explain=true`). */
  readonly explain?: boolean;
}

/** Which policy's dataplanes: its type (a policy type of the registry), mesh and name, plus paging. */
export interface PolicyDataplanesQuery extends PageOptions {
  readonly type: PolicyType;
  readonly mesh: string;
  readonly name: string;
}

/** A client of one control plane. */
export interface KumaClient {
  /** The typed methods of one resource type, e.g. `client.resources(DataplaneType).list({ mesh: "default" })`. */
  resources<T extends ResourceType>(type: T): ResourceClient<T>;
  /** `GET /` (the base URL as given): tagline, version, hostname, instance id. */
  index(): Promise<IndexInfo>;
  /** `GET /config`: the server's effective configuration, secrets redacted. */
  config(): Promise<Record<string, unknown>>;
  /** `GET /catalog`: the URLs of the control plane's other APIs. */
  catalog(): Promise<Catalog>;
  /** One page of dataplanes joined with their insights, optionally filtered by tags. */
  dataplaneOverviews(query: DataplaneOverviewQuery): Promise<Page<DataplaneOverview>>;
  /** One dataplane joined with its insight; a missing one is an ApiError with status 404. */
  dataplaneOverview(key: {
    readonly mesh: string;
    readonly name: string;
  }): Promise<DataplaneOverview>;
  /**
   * One dataplane overview with its version (it changes with the Dataplane
   * and with its insight), unless the server still has `knownVersion`: then undefined (304).
   */
  dataplaneOverviewIfChanged(
    key: { readonly mesh: string; readonly name: string },
    knownVersion: string | undefined,
  ): Promise<Versioned<DataplaneOverview> | undefined>;
  /**
   * The changes of a mesh's dataplane overviews (`dataplanes+insights?watch=true`):
   * an event whenever a Dataplane or its insight is written. As `resources(T).watch`.
   */
  watchDataplaneOverviews(
    query: DataplaneOverviewWatch,
  ): AsyncIterable<WatchEvent<DataplaneOverview>>;
  /**
   * Every change in one mesh, or only those of `types`, in one connection
   * (`/meshes/{mesh}/events`); each resource decoded with its own type. As `resources(T).watch`.
   */
  watchMeshEvents(query: MeshEventsWatch): AsyncIterable<WatchEvent<Resource>>;
  /**
   * Every attachment of a dataplane with the policies that apply there and
   * their effect; a missing dataplane is an ApiError with status 404.
   */
  inspectDataplane(query: DataplaneInspectionQuery): Promise<DataplaneInspection>;
  /** One page of the dataplanes a policy applies to (all of them when `size` is absent); a missing policy is a 404. */
  policyDataplanes(query: PolicyDataplanesQuery): Promise<Page<PolicyDataplanesItem>>;
  /** Every page of the dataplanes a policy applies to, one request per page. */
  policyDataplanePages(
    query: PolicyDataplanesQuery,
  ): AsyncIterableIterator<Page<PolicyDataplanesItem>>;
  /** `POST /tokens/user`: a new user token (a JWT). */
  issueUserToken(request: UserTokenRequest): Promise<string>;
  /** `POST /tokens/user/revocations`: revokes tokens by id (`jti`) and/or by token; answers the ids revoked. */
  revokeUserTokens(request: {
    readonly ids?: readonly string[];
    readonly tokens?: readonly string[];
  }): Promise<string[]>;
  /** `POST /tokens/user/signing-keys`: adds a signing key; answers its `kid`. */
  createSigningKey(): Promise<string>;
  /** `DELETE /tokens/user/signing-keys/{kid}`. */
  deleteSigningKey(kid: string): Promise<void>;
  /** `GET /global-secrets/admin-user-token`: the bootstrap admin token, decoded. */
  adminUserToken(): Promise<string>;
}

/** The default per-request timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * Creates a client. No connection is made until a method is called.
 *
 * @example
 * const kuma = createClient({ baseUrl: "http://localhost:5681" });
 * const { items } = await kuma.resources(MeshType).list();
 */
export function createClient(options: ClientOptions): KumaClient {
  if (!URL.canParse(options.baseUrl))
    throw new TypeError(`invalid base URL: ${JSON.stringify(options.baseUrl)}`);
  const transportOptions: TransportOptions = {
    baseUrl: options.baseUrl,
    // Called through a function, never as a method of the options: a browser's fetch throws
    // "Illegal invocation" when its receiver is not the window.
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    headers: authHeaders(options),
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
  };
  const transport = createTransport(transportOptions);
  const openStream = createStreamOpener(transportOptions);
  const resourceClients = new Map<ResourceType, ResourceClient<ResourceType>>();
  const overviewsPath = (mesh: string) => `/meshes/${encodeURIComponent(mesh)}/dataplanes+insights`;
  const policyDataplanes = async (query: PolicyDataplanesQuery) => {
    const response = await transport({
      method: "GET",
      path: `/meshes/${encodeURIComponent(query.mesh)}/${query.type.path}/${encodeURIComponent(query.name)}/dataplanes`,
      query: { size: query.size, offset: query.offset },
    });
    return pageFrom(response, (value, path) => policyDataplanesItemFrom(response, value, path));
  };

  const dataplaneOverviewIfChanged: KumaClient["dataplaneOverviewIfChanged"] = async (
    key,
    knownVersion,
  ) => {
    const response = await transport({
      method: "GET",
      path: `${overviewsPath(key.mesh)}/${encodeURIComponent(key.name)}`,
      headers: knownVersion === undefined ? {} : { "If-None-Match": entityTag(knownVersion) },
    });
    if (isNotModified(response)) return undefined;
    return { resource: overviewFrom(response), version: response.version };
  };

  return {
    resources<T extends ResourceType>(type: T): ResourceClient<T> {
      let found = resourceClients.get(type);
      if (!found) {
        found = createResourceClient(
          type,
          transport,
          openStream,
        ) as unknown as ResourceClient<ResourceType>;
        resourceClients.set(type, found);
      }
      return found as unknown as ResourceClient<T>;
    },
    async index() {
      return indexFrom(await transport({ method: "GET", path: "" }));
    },
    async config() {
      return objectBody(await transport({ method: "GET", path: "/config" }));
    },
    async catalog() {
      return catalogFrom(await transport({ method: "GET", path: "/catalog" }));
    },
    async dataplaneOverviews(query) {
      const response = await transport({
        method: "GET",
        path: overviewsPath(query.mesh),
        query: { tag: tagFilters(query.tags), size: query.size, offset: query.offset },
      });
      return pageFrom(response, (value, path) => overviewFrom(response, value, path));
    },
    async dataplaneOverview(key) {
      // Without a known version the server never answers 304.
      return (await dataplaneOverviewIfChanged(key, undefined))!.resource;
    },
    dataplaneOverviewIfChanged,
    watchDataplaneOverviews({ mesh, tags, ...watchOptions }) {
      return watchEvents(
        openStream,
        {
          path: overviewsPath(mesh),
          query: { tag: tagFilters(tags), watch: "true" },
          decode: (response, _type, value, path) => overviewFrom(response, value, path),
        },
        watchOptions,
      );
    },
    watchMeshEvents({ mesh, types, ...watchOptions }) {
      return watchEvents(
        openStream,
        {
          path: `/meshes/${encodeURIComponent(mesh)}/events`,
          query: { type: types?.map((type) => type.name) },
          decode: (response, typeName, value, path) => {
            const type = resourceTypeByName(typeName);
            if (!type) {
              throw new InvalidResponseError(response.method, response.url, response.status, [
                {
                  field: path.replace(/\.resource$/, ".type"),
                  message: `unknown type ${JSON.stringify(typeName)}`,
                },
              ]);
            }
            return resourceFrom(type, response, value, path) as Resource;
          },
        },
        watchOptions,
      );
    },
    async inspectDataplane(query) {
      const response = await transport({
        method: "GET",
        path: `/meshes/${encodeURIComponent(query.mesh)}/dataplanes/${encodeURIComponent(query.name)}/policies`,
        query: { explain: query.explain ? "true" : undefined },
      });
      return inspectionFrom(response);
    },
    policyDataplanes,
    policyDataplanePages: (query) =>
      pagesOf((offset) => policyDataplanes({ ...query, offset }), query.offset),
    async issueUserToken(request) {
      const response = await transport({
        method: "POST",
        path: "/tokens/user",
        body: JSON.stringify({
          name: request.name,
          groups: request.groups ?? [],
          validFor: request.validFor,
        }),
        text: true,
      });
      return String(response.body).trim();
    },
    async revokeUserTokens(request) {
      const response = await transport({
        method: "POST",
        path: "/tokens/user/revocations",
        body: JSON.stringify({ ids: request.ids ?? [], tokens: request.tokens ?? [] }),
      });
      const revoked = objectBody(response).revoked;
      if (!Array.isArray(revoked) || !revoked.every((id) => typeof id === "string")) {
        throw new InvalidResponseError(response.method, response.url, response.status, [
          { field: "revoked", message: "must be a list of token ids" },
        ]);
      }
      return revoked as string[];
    },
    async createSigningKey() {
      const response = await transport({ method: "POST", path: "/tokens/user/signing-keys" });
      const kid = objectBody(response).kid;
      if (typeof kid !== "string") {
        throw new InvalidResponseError(response.method, response.url, response.status, [
          { field: "kid", message: "must be a string" },
        ]);
      }
      return kid;
    },
    async deleteSigningKey(kid) {
      await transport({
        method: "DELETE",
        path: `/tokens/user/signing-keys/${encodeURIComponent(kid)}`,
      });
    },
    async adminUserToken() {
      const response = await transport({ method: "GET", path: "/global-secrets/admin-user-token" });
      const data = objectBody(response).data;
      if (typeof data !== "string") {
        throw new InvalidResponseError(response.method, response.url, response.status, [
          { field: "data", message: "must be a base64 string" },
        ]);
      }
      return new TextDecoder().decode(Uint8Array.from(atob(data), (c) => c.charCodeAt(0)));
    },
  };
}

/** The `tag` parameters of an overview query: `key:value` each. */
function tagFilters(tags: Readonly<Record<string, string>> | undefined): string[] {
  return Object.entries(tags ?? {}).map(([key, value]) => `${key}:${value}`);
}

/** The headers of every request: the configured ones plus the token's `Authorization`. */
function authHeaders(options: ClientOptions): Record<string, string> {
  const headers = { ...options.headers };
  if (options.auth) {
    if (options.auth.type !== "tokens" || options.auth.token === "") {
      throw new TypeError('auth must be {type: "tokens", token: "<a user token>"}');
    }
    headers.Authorization = `Bearer ${options.auth.token}`;
  }
  return headers;
}
