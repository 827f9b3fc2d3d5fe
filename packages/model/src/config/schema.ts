/**
 * The server configuration (config.md): Kuma 0.4's layout, so its docs and
 * tools still apply, plus this project's own keys. Sections for servers this
 * project does not run (bootstrap, SDS, xDS, admin, monitoring assignment,
 * Kubernetes, Postgres) keep Kuma's defaults for display in `/config` and
 * for `/catalog`; nothing listens on their ports.
 */
import { Type, type Static } from "@sinclair/typebox";
import {
  BooleanSetting,
  DurationSetting,
  EnumSetting,
  IntegerSetting,
  JsonSetting,
  ListSetting,
  PortSetting,
  Section,
  StringSetting,
} from "./fields.js";

/** The mesh created at start-up unless `defaults.skipMeshCreation` is set. */
export const DEFAULT_MESH_YAML = "type: Mesh\nname: default\nmtls:\n  ca: {}\n  enabled: false\n";

const RedisTls = Section({
  enabled: BooleanSetting(false, { description: "connect to Redis over TLS" }),
  caPath: StringSetting("", {
    description: "PEM file of the CA that signed the Redis server's certificate",
  }),
  certPath: StringSetting("", { description: "PEM client certificate, for mutual TLS" }),
  keyPath: StringSetting("", { description: "PEM key of the client certificate" }),
});

const Redis = Section({
  url: StringSetting("redis://127.0.0.1:6379/0", {
    description: "Redis URL of a standalone server (redis:// or rediss://)",
    secret: "url-password",
  }),
  mode: EnumSetting(["standalone", "cluster", "sentinel"], "standalone", {
    description: "how to reach Redis",
  }),
  nodes: ListSetting([], { description: "host:port of cluster nodes or sentinels" }),
  sentinelMasterName: StringSetting("", { description: "the master name the sentinels monitor" }),
  username: StringSetting("", { description: "ACL user name" }),
  password: StringSetting("", { description: "password (AUTH)", secret: "value" }),
  keyPrefix: StringSetting("kuma", {
    description: "prefix of every key, so several control planes can share one Redis",
  }),
  tls: RedisTls,
  connectTimeout: DurationSetting("5s", { description: "time allowed to establish a connection" }),
  commandTimeout: DurationSetting("2s", {
    description: "time after which a store operation fails with 503 Service Unavailable",
  }),
});

const Postgres = Section(
  {
    host: StringSetting("127.0.0.1"),
    port: PortSetting(15432),
    user: StringSetting("kuma"),
    password: StringSetting("kuma", { secret: "value" }),
    dbName: StringSetting("kuma"),
    connectionTimeout: IntegerSetting(5, { minimum: 0, maximum: 2147483647 }),
    maxOpenConnections: IntegerSetting(0, { minimum: 0, maximum: 2147483647 }),
  },
  "display only: this project has no Postgres store",
);

const Store = Section({
  type: EnumSetting(["memory", "redis"], "memory", { description: "where resources are kept" }),
  redis: Redis,
  kubernetes: Section({ systemNamespace: StringSetting("kuma-system") }, "display only"),
  postgres: Postgres,
  cache: Section(
    { enabled: BooleanSetting(true), expirationTime: DurationSetting("1s") },
    "display only: no replica caches resources",
  ),
  watchHistory: IntegerSetting(
    10000,
    { minimum: 1, maximum: 10000000 },
    {
      description:
        "changes retained per mesh for resuming watches (Redis: in that mesh's hash-tag slot); a deleted mesh's are kept an hour",
    },
  ),
});

/** A public key that verifies user tokens signed elsewhere (auth.md §4). */
const StaticPublicKey = Type.Object(
  {
    kid: Type.String({ minLength: 1 }),
    key: Type.Optional(Type.String({ minLength: 1 })),
    keyFile: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

/** Authentication of API requests (auth.md §2–§5). */
const Authn = Section({
  type: EnumSetting(["tokens"], "tokens", {
    description: "how API clients authenticate: user tokens (JWT)",
  }),
  localhostIsAdmin: BooleanSetting(true, {
    description:
      "requests from loopback, not proxied and not from a browser page on another origin, are admin",
  }),
  tokens: Section({
    bootstrapAdminToken: BooleanSetting(true, {
      description: "create a 10-year admin token in GlobalSecret admin-user-token at first start",
    }),
    enableIssuer: BooleanSetting(true, { description: "POST /tokens/user issues tokens" }),
    validator: Section({
      useSecrets: BooleanSetting(true, {
        description: "verify tokens with the signing keys kept in the store",
      }),
      publicKeys: JsonSetting(Type.Array(StaticPublicKey), [], {
        description:
          "static public keys (`[{kid, key|keyFile}]`, PEM) that verify tokens issued elsewhere",
        yamlOnly: true,
      }),
    }),
    signingAlgorithm: EnumSetting(["EdDSA", "RS256"], "EdDSA", {
      description: "algorithm of new signing keys: Ed25519, or RSA 2048",
    }),
    maxValidFor: DurationSetting("0s", {
      description: "the longest validity a token may be issued with; 0 means no cap",
      allowZero: true,
    }),
    issuer: StringSetting("", {
      description:
        "when set (e.g. `kuma-ts`), tokens are issued with this `iss` and only tokens carrying it are accepted; empty: no `iss`, as in Kuma",
    }),
  }),
});

/** Rate limits of the API (auth.md §8): token buckets per caller, shared through Redis. */
const RateLimit = Section({
  enabled: BooleanSetting(false, {
    description: "limit requests per caller (off keeps Kuma 0.4's behaviour)",
  }),
  readsPerSecond: IntegerSetting(
    50,
    { minimum: 1, maximum: 1000000 },
    { description: "GET and HEAD per second per caller" },
  ),
  readBurst: IntegerSetting(
    100,
    { minimum: 1, maximum: 1000000 },
    { description: "reads a caller may make at once" },
  ),
  writesPerSecond: IntegerSetting(
    10,
    { minimum: 1, maximum: 1000000 },
    {
      description: "PUT, POST and DELETE per second per caller",
    },
  ),
  writeBurst: IntegerSetting(
    20,
    { minimum: 1, maximum: 1000000 },
    { description: "writes a caller may make at once" },
  ),
  maxWatchesPerClient: IntegerSetting(
    10,
    { minimum: 1, maximum: 1000000 },
    {
      description:
        "watch streams one caller may have open at once, on every replica over one store together",
    },
  ),
  exemptGroups: ListSetting(["mesh-system:admin"], {
    description: "callers in these groups are never limited",
  }),
  trustedProxies: ListSetting([], {
    description:
      "CIDRs of proxies whose X-Forwarded-For is believed when keying anonymous callers by address",
  }),
});

/** The audit log (auth.md §10). */
const Audit = Section({
  enabled: BooleanSetting(true, { description: "one JSON line per write and per refused request" }),
  path: StringSetting("", {
    description: 'file the lines are appended to; empty: stdout, with `"logger":"audit"`',
  }),
});

/** The API over TLS (auth.md §11), on a port of its own. */
const Https = Section({
  enabled: BooleanSetting(false, { description: "serve the API over TLS too" }),
  interface: StringSetting("0.0.0.0", { description: "address the HTTPS API listens on" }),
  port: PortSetting(5682, { description: "port of the HTTPS API" }),
  tlsCertFile: StringSetting("", {
    description: "PEM certificate (chain) of the server; required when enabled",
  }),
  tlsKeyFile: StringSetting("", {
    description: "PEM private key of the certificate; required when enabled",
  }),
  tlsCaFile: StringSetting("", {
    description: "PEM CA of client certificates; when set, clients are asked for one",
    env: "KUMA_API_SERVER_HTTPS_CLIENT_CERTS_CA_FILE",
  }),
  tlsMinVersion: EnumSetting(["TLSv1_2", "TLSv1_3"], "TLSv1_2", {
    description: "oldest TLS version accepted",
  }),
  requireClientCert: BooleanSetting(false, {
    description:
      "refuse connections without a client certificate signed by tlsCaFile (transport only: confers no identity)",
  }),
});

const ApiServer = Section({
  port: PortSetting(5681, { description: "port of the HTTP API" }),
  interface: StringSetting("0.0.0.0", { description: "address the HTTP API listens on" }),
  readOnly: BooleanSetting(false, { description: "answer every PUT and DELETE with 405" }),
  corsAllowedDomains: ListSetting([".*"], {
    description: "origins allowed by CORS: exact values or whole-string regular expressions",
  }),
  maxRequestBodyBytes: IntegerSetting(
    1048576,
    { minimum: 1, maximum: 1073741824 },
    {
      description: "larger request bodies are refused with 413",
    },
  ),
  headersTimeout: DurationSetting("10s", {
    description: "a client must send its request headers within this time",
  }),
  requestTimeout: DurationSetting("30s", {
    description: "a client must send its whole request within this time",
  }),
  keepAliveTimeout: DurationSetting("5s", {
    description: "idle keep-alive connections are closed after this",
  }),
  maxConnections: IntegerSetting(
    4096,
    { minimum: 1, maximum: 1048576 },
    {
      description: "connections beyond this are refused",
    },
  ),
  drainTimeout: DurationSetting("30s", {
    description: "on SIGTERM/SIGINT, in-flight requests get this long to finish",
  }),
  accessLog: BooleanSetting(false, {
    description:
      "log one line per request at level info (id, method, route, path, status, duration; never a body): about 11 µs of CPU per request, a tenth of a GET's",
  }),
  watch: Section({
    heartbeatInterval: DurationSetting("15s", {
      description: "period of the comment line (`: keep-alive`) sent on every open watch",
    }),
    maxStreams: IntegerSetting(
      1000,
      { minimum: 1, maximum: 1048576 },
      { description: "open watches per server; beyond, a watch is answered 503" },
    ),
    maxBufferedEvents: IntegerSetting(
      1000,
      { minimum: 1, maximum: 1048576 },
      {
        description:
          "events queued for one slow watcher; beyond, its stream is ended (it resumes with its token)",
      },
    ),
  }),
  authn: Authn,
  rateLimit: RateLimit,
  audit: Audit,
  https: Https,
});

/** Who is in an allow-list of auth.md §6: any of these users, or anyone in any of these groups. */
const AllowList = (users: string[], groups: string[], what: string) =>
  Section({
    users: ListSetting(users, { description: `users who may ${what}` }),
    groups: ListSetting(groups, { description: `groups whose members may ${what}` }),
  });

/** One allow rule over resources (auth.md §6). */
export const AccessRule = Type.Object(
  {
    users: Type.Optional(Type.Array(Type.String())),
    groups: Type.Optional(Type.Array(Type.String())),
    meshes: Type.Array(Type.String()),
    types: Type.Array(Type.String()),
    verbs: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type AccessRule = Static<typeof AccessRule>;

/** The rule that keeps Kuma 0.4's behaviour: everyone may do everything. */
export const DEFAULT_ACCESS_RULES: AccessRule[] = [
  {
    groups: ["mesh-system:unauthenticated", "mesh-system:authenticated"],
    users: [],
    meshes: ["*"],
    types: ["*"],
    verbs: ["*"],
  },
];

/** Authorization (auth.md §6). */
const Access = Section({
  type: EnumSetting(["static"], "static", {
    description: "how requests are authorized: static rules",
  }),
  static: Section({
    adminResources: AllowList(
      ["mesh-system:admin"],
      ["mesh-system:admin"],
      "manage signing keys and revocations and read the admin token",
    ),
    generateUserToken: AllowList(["mesh-system:admin"], ["mesh-system:admin"], "issue user tokens"),
    controlPlaneMetadata: AllowList(
      [],
      ["mesh-system:unauthenticated", "mesh-system:authenticated"],
      "read GET /config",
    ),
    resources: Section({
      rules: JsonSetting(Type.Array(AccessRule), DEFAULT_ACCESS_RULES, {
        description:
          "allow rules `[{users, groups, meshes, types, verbs}]`, additive, deny by default; JSON in the environment, replacing the list",
      }),
    }),
  }),
});

const Diagnostics = Section({
  port: PortSetting(5680, { description: "port of /healthy, /ready and /metrics" }),
  interface: StringSetting("0.0.0.0", { description: "address the diagnostics server listens on" }),
});

const Defaults = Section({
  mesh: StringSetting(DEFAULT_MESH_YAML, {
    description: "YAML of the mesh `default` created at start-up",
  }),
  skipMeshCreation: BooleanSetting(false, { description: "do not create the default mesh" }),
});

const BootstrapServer = Section(
  {
    port: PortSetting(5682),
    params: Section({
      adminPort: PortSetting(0),
      adminAccessLogPath: StringSetting("/dev/null"),
      xdsHost: StringSetting(""),
      xdsPort: PortSetting(0),
      xdsConnectTimeout: DurationSetting("1s"),
    }),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const XdsServer = Section(
  {
    grpcPort: PortSetting(5678),
    diagnosticsPort: PortSetting(5680),
    dataplaneConfigurationRefreshInterval: DurationSetting("1s"),
    dataplaneStatusFlushInterval: DurationSetting("1s"),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const SdsServer = Section(
  {
    grpcPort: PortSetting(5677),
    tlsCertFile: StringSetting(""),
    tlsKeyFile: StringSetting(""),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const PublicServer = Section({
  enabled: BooleanSetting(false),
  interface: StringSetting(""),
  port: PortSetting(0),
  tlsCertFile: StringSetting(""),
  tlsKeyFile: StringSetting(""),
  clientCertsDir: StringSetting(""),
});

const DataplaneTokenServer = Section(
  {
    local: Section({ port: PortSetting(5679) }),
    public: PublicServer,
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const AdminServer = Section(
  {
    local: Section({ port: PortSetting(5679) }),
    public: PublicServer,
    apis: Section({ dataplaneToken: Section({ enabled: BooleanSetting(true) }) }),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const MonitoringAssignmentServer = Section(
  {
    grpcPort: PortSetting(5676),
    assignmentRefreshInterval: DurationSetting("1s"),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

const Runtime = Section(
  {
    kubernetes: Section({
      admissionServer: Section({
        address: StringSetting(""),
        port: PortSetting(5443),
        certDir: StringSetting(""),
      }),
    }),
  },
  "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
);

/** The whole configuration of `kuma-cp run`, defaults included. */
export const ServerConfig = Section({
  environment: EnumSetting(["universal", "kubernetes"], "universal"),
  general: Section({ advertisedHostname: StringSetting("localhost") }),
  store: Store,
  apiServer: ApiServer,
  diagnostics: Diagnostics,
  access: Access,
  defaults: Defaults,
  bootstrapServer: BootstrapServer,
  xdsServer: XdsServer,
  sdsServer: SdsServer,
  dataplaneTokenServer: DataplaneTokenServer,
  adminServer: AdminServer,
  monitoringAssignmentServer: MonitoringAssignmentServer,
  runtime: Runtime,
  reports: Section({
    enabled: BooleanSetting(false, { description: "nothing is ever sent anywhere" }),
  }),
  guiServer: Section({
    port: PortSetting(5683, {
      description: "port of the web GUI, on every interface; 0 disables the GUI server",
    }),
  }),
  discovery: Section(
    { universal: Section({ pollingInterval: DurationSetting("1s") }) },
    "display only: Kuma 0.4's layout and defaults, kept for its tools and /catalog",
  ),
});
export type ServerConfig = Static<typeof ServerConfig>;
