import { describe, expect, it } from "vitest";
import {
  ConfigError,
  REDACTED,
  catalogOf,
  configLeaves,
  configToJson,
  defaultServerConfig,
  envVarName,
  loadServerConfig,
  redactConfig,
} from "../index.js";

const KUMA_04_TOP_LEVEL = [
  "adminServer",
  "apiServer",
  "bootstrapServer",
  "dataplaneTokenServer",
  "defaults",
  "discovery",
  "environment",
  "general",
  "guiServer",
  "monitoringAssignmentServer",
  "reports",
  "runtime",
  "sdsServer",
  "store",
  "xdsServer",
];

describe("the server configuration", () => {
  it("has the defaults of config.md", () => {
    const config = defaultServerConfig();
    expect(config.environment).toBe("universal");
    expect(config.general.advertisedHostname).toBe("localhost");
    expect(config.apiServer).toMatchObject({
      port: 5681,
      interface: "0.0.0.0",
      readOnly: false,
      corsAllowedDomains: [".*"],
      maxRequestBodyBytes: 1048576,
      accessLog: false,
    });
    expect(config.diagnostics.port).toBe(5680);
    expect(config.store.type).toBe("memory");
    expect(config.store.redis).toMatchObject({
      url: "redis://127.0.0.1:6379/0",
      mode: "standalone",
      nodes: [],
      sentinelMasterName: "",
      username: "",
      password: "",
      keyPrefix: "kuma",
      tls: { enabled: false, caPath: "", certPath: "", keyPath: "" },
      connectTimeout: "5s",
      commandTimeout: "2s",
    });
    expect(config.defaults).toEqual({
      mesh: "type: Mesh\nname: default\nmtls:\n  ca: {}\n  enabled: false\n",
      skipMeshCreation: false,
    });
    expect(config.bootstrapServer.port).toBe(5682);
    expect(config.adminServer.local.port).toBe(5679);
    expect(config.adminServer.public).toMatchObject({ enabled: false, port: 0 });
    expect(config.adminServer.apis.dataplaneToken.enabled).toBe(true);
    expect(config.monitoringAssignmentServer.grpcPort).toBe(5676);
    expect(config.xdsServer.grpcPort).toBe(5678);
    expect(config.guiServer.port).toBe(5683);
    expect(config.reports.enabled).toBe(false);
  });

  it("keeps every top-level section of Kuma 0.4's /config", () => {
    const keys = Object.keys(JSON.parse(configToJson(defaultServerConfig())));
    for (const key of KUMA_04_TOP_LEVEL) expect(keys).toContain(key);
  });

  it("derives the environment variable names of config.md from the key paths", () => {
    const names = new Map(configLeaves.map((leaf) => [leaf.key, leaf.envVar]));
    expect(names.get("apiServer.corsAllowedDomains")).toBe("KUMA_API_SERVER_CORS_ALLOWED_DOMAINS");
    expect(names.get("store.redis.tls.caPath")).toBe("KUMA_STORE_REDIS_TLS_CA_PATH");
    expect(names.get("store.redis.sentinelMasterName")).toBe("KUMA_STORE_REDIS_SENTINEL_MASTER_NAME");
    expect(names.get("adminServer.apis.dataplaneToken.enabled")).toBe(
      "KUMA_ADMIN_SERVER_APIS_DATAPLANE_TOKEN_ENABLED",
    );
    expect(names.get("defaults.skipMeshCreation")).toBe("KUMA_DEFAULTS_SKIP_MESH_CREATION");
    expect(names.get("general.advertisedHostname")).toBe("KUMA_GENERAL_ADVERTISED_HOSTNAME");
    expect(envVarName(["monitoringAssignmentServer", "grpcPort"])).toBe(
      "KUMA_MONITORING_ASSIGNMENT_SERVER_GRPC_PORT",
    );
  });

  it("applies the YAML file over the defaults and the environment over the file", () => {
    const config = loadServerConfig({
      file: {
        name: "kuma-cp.yaml",
        text: "apiServer:\n  port: 7000\n  readOnly: true\nstore:\n  redis:\n    commandTimeout: 1500ms\n",
      },
      env: { KUMA_API_SERVER_PORT: "8000", KUMA_STORE_REDIS_CONNECT_TIMEOUT: "1m" },
    });
    expect(config.apiServer.port).toBe(8000);
    expect(config.apiServer.readOnly).toBe(true);
    expect(config.store.redis.commandTimeout).toBe("1.5s");
    expect(config.store.redis.connectTimeout).toBe("1m0s");
  });

  it("reads lists from YAML sequences and from comma-separated variables", () => {
    const fromYaml = loadServerConfig({
      file: { name: "f", text: "apiServer:\n  corsAllowedDomains: [a.com, b.com]\n" },
    });
    expect(fromYaml.apiServer.corsAllowedDomains).toEqual(["a.com", "b.com"]);
    const fromEnv = loadServerConfig({
      env: { KUMA_STORE_REDIS_NODES: "10.0.0.1:7000, 10.0.0.2:7000" },
    });
    expect(fromEnv.store.redis.nodes).toEqual(["10.0.0.1:7000", "10.0.0.2:7000"]);
  });

  it("accepts guiServer.port 0, which disables the GUI server, and refuses ports out of range", () => {
    expect(loadServerConfig({ env: {} }).guiServer.port).toBe(5683);
    expect(loadServerConfig({ env: { KUMA_GUI_SERVER_PORT: "0" } }).guiServer.port).toBe(0);
    expect(() => loadServerConfig({ env: { KUMA_GUI_SERVER_PORT: "65536" } })).toThrow(
      'invalid value "65536" of KUMA_GUI_SERVER_PORT (guiServer.port): must be an integer between 0 and 65535',
    );
  });

  it("accepts booleans as true/false/1/0", () => {
    for (const [raw, value] of [
      ["true", true],
      ["1", true],
      ["false", false],
      ["0", false],
    ] as const) {
      expect(loadServerConfig({ env: { KUMA_API_SERVER_READ_ONLY: raw } }).apiServer.readOnly).toBe(value);
    }
  });

  it.each([
    ["KUMA_API_SERVER_PORT", "abc", 'invalid value "abc" of KUMA_API_SERVER_PORT (apiServer.port): must be an integer between 0 and 65535'],
    ["KUMA_API_SERVER_PORT", "70000", 'invalid value "70000" of KUMA_API_SERVER_PORT (apiServer.port): must be an integer between 0 and 65535'],
    ["KUMA_API_SERVER_READ_ONLY", "yes", 'invalid value "yes" of KUMA_API_SERVER_READ_ONLY (apiServer.readOnly): must be true, false, 1 or 0'],
    ["KUMA_STORE_TYPE", "postgres", 'invalid value "postgres" of KUMA_STORE_TYPE (store.type): must be one of: memory, redis'],
    ["KUMA_STORE_REDIS_COMMAND_TIMEOUT", "2", 'invalid value "2" of KUMA_STORE_REDIS_COMMAND_TIMEOUT (store.redis.commandTimeout): must be a positive duration such as "5s", "250ms" or "1m"'],
    ["KUMA_STORE_REDIS_MODE", "ring", 'invalid value "ring" of KUMA_STORE_REDIS_MODE (store.redis.mode): must be one of: standalone, cluster, sentinel'],
    ["KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES", "0", 'invalid value "0" of KUMA_API_SERVER_MAX_REQUEST_BODY_BYTES (apiServer.maxRequestBodyBytes): must be an integer between 1 and 1073741824'],
  ])("rejects %s=%s with a message naming the variable", (name, value, message) => {
    expect(() => loadServerConfig({ env: { [name]: value } })).toThrow(new ConfigError(message));
  });

  it("rejects every malformed integer, boolean, duration and enum variable", () => {
    for (const leaf of configLeaves) {
      const bad = { integer: "1.5", boolean: "maybe", duration: "soon", enum: "nope" }[leaf.kind as string];
      if (bad === undefined) continue;
      expect(() => loadServerConfig({ env: { [leaf.envVar]: bad } }), leaf.envVar).toThrow(leaf.envVar);
    }
  });

  it("rejects unknown keys and wrong types in the YAML file, naming them", () => {
    expect(() => loadServerConfig({ file: { name: "c.yaml", text: "apiServer:\n  prot: 1\n" } })).toThrow(
      'c.yaml: unknown key "apiServer.prot"',
    );
    expect(() => loadServerConfig({ file: { name: "c.yaml", text: "apiServer:\n  port: [1]\n" } })).toThrow(
      "invalid value [1] of c.yaml: apiServer.port: must be an integer between 0 and 65535",
    );
    expect(() => loadServerConfig({ file: { name: "c.yaml", text: "apiServer: 3\n" } })).toThrow(
      "c.yaml: apiServer must be a mapping",
    );
    expect(() => loadServerConfig({ file: { name: "c.yaml", text: "a: [\n" } })).toThrow(/^c.yaml: invalid YAML/);
  });

  it("treats an empty file as no settings", () => {
    expect(loadServerConfig({ file: { name: "empty.yaml", text: "" } })).toEqual(defaultServerConfig());
  });

  it("rejects an invalid CORS pattern, Redis URL, node address and default mesh", () => {
    expect(() => loadServerConfig({ env: { KUMA_API_SERVER_CORS_ALLOWED_DOMAINS: "(" } })).toThrow(
      /^invalid value "\(" of apiServer.corsAllowedDomains \(KUMA_API_SERVER_CORS_ALLOWED_DOMAINS\): /,
    );
    expect(() => loadServerConfig({ env: { KUMA_STORE_REDIS_URL: "http://u:pw@x" } })).toThrow(
      "invalid value of store.redis.url (KUMA_STORE_REDIS_URL): must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0",
    );
    expect(() => loadServerConfig({ env: { KUMA_STORE_REDIS_NODES: "host" } })).toThrow(
      'invalid value "host" of store.redis.nodes (KUMA_STORE_REDIS_NODES): must be host:port',
    );
    expect(() => loadServerConfig({ env: { KUMA_STORE_REDIS_NODES: "host:65536" } })).toThrow(/must be host:port/);
    expect(() => loadServerConfig({ env: { KUMA_DEFAULTS_MESH: "mtls: 3" } })).toThrow(
      "invalid value of defaults.mesh (KUMA_DEFAULTS_MESH): mtls: must be an object",
    );
    expect(() =>
      loadServerConfig({ env: { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_MODE: "cluster" } }),
    ).toThrow("store.redis.nodes (KUMA_STORE_REDIS_NODES) must list at least one host:port in cluster mode");
    expect(() =>
      loadServerConfig({ env: { KUMA_STORE_TYPE: "redis", KUMA_STORE_REDIS_MODE: "sentinel", KUMA_STORE_REDIS_NODES: "h:1" } }),
    ).toThrow("store.redis.sentinelMasterName (KUMA_STORE_REDIS_SENTINEL_MASTER_NAME) must be set in sentinel mode");
  });

  it("redacts every field marked secret, even when empty, and the password inside the Redis URL", () => {
    const config = loadServerConfig({
      env: { KUMA_STORE_REDIS_URL: "redis://admin:s3cret@redis.internal:6380/2" },
    });
    const shown = redactConfig(config) as { store: { redis: { url: string; password: string }; postgres: { password: string } } };
    expect(shown.store.redis.url).toBe("redis://admin:*****@redis.internal:6380/2");
    expect(shown.store.redis.password).toBe(REDACTED);
    expect(shown.store.postgres.password).toBe(REDACTED);
    expect(configToJson(config)).not.toContain("s3cret");
  });

  it("walks the schema: no secret value ever appears in /config", () => {
    const env: Record<string, string> = {};
    const secrets = configLeaves.filter((leaf) => leaf.schema.secret);
    expect(secrets.map((leaf) => leaf.key)).toEqual(
      expect.arrayContaining(["store.redis.url", "store.redis.password", "store.postgres.password"]),
    );
    for (const leaf of secrets) {
      env[leaf.envVar] =
        leaf.schema.secret === "url-password" ? "redis://u:TOPSECRET@h:1/0" : "TOPSECRET";
    }
    const json = configToJson(loadServerConfig({ env }));
    expect(json).not.toContain("TOPSECRET");
  });

  it("keeps a URL without a password unchanged", () => {
    const shown = redactConfig(defaultServerConfig()) as { store: { redis: { url: string } } };
    expect(shown.store.redis.url).toBe("redis://127.0.0.1:6379/0");
  });

  it("serialises /config compactly with keys sorted at every level and Go-style durations", () => {
    const json = configToJson(defaultServerConfig());
    expect(json).not.toMatch(/\s\n/);
    const sortedEverywhere = (value: unknown): boolean => {
      if (typeof value !== "object" || value === null || Array.isArray(value)) return true;
      const keys = Object.keys(value);
      return keys.join() === [...keys].sort().join() && Object.values(value).every(sortedEverywhere);
    };
    expect(sortedEverywhere(JSON.parse(json))).toBe(true);
    expect(JSON.parse(json).store.redis.commandTimeout).toBe("2s");
  });

  it("derives the catalog from the configuration", () => {
    expect(catalogOf(defaultServerConfig())).toEqual({
      apis: {
        bootstrap: { url: "http://localhost:5682" },
        dataplaneToken: { localUrl: "http://localhost:5679", publicUrl: "" },
        admin: { localUrl: "http://localhost:5679", publicUrl: "" },
        monitoringAssignment: { url: "grpc://localhost:5676" },
        openapi: { url: "http://localhost:5681/openapi.json" },
      },
    });
    const config = loadServerConfig({
      env: {
        KUMA_GENERAL_ADVERTISED_HOSTNAME: "cp.example",
        KUMA_ADMIN_SERVER_PUBLIC_ENABLED: "true",
        KUMA_ADMIN_SERVER_PUBLIC_PORT: "5684",
        KUMA_ADMIN_SERVER_APIS_DATAPLANE_TOKEN_ENABLED: "false",
        KUMA_API_SERVER_PORT: "15681",
      },
    });
    expect(catalogOf(config).apis.openapi).toEqual({ url: "http://cp.example:15681/openapi.json" });
    expect(catalogOf(config, "http://127.0.0.1:35681")).toEqual({
      apis: {
        bootstrap: { url: "http://cp.example:5682" },
        dataplaneToken: { localUrl: "", publicUrl: "" },
        admin: { localUrl: "http://localhost:5679", publicUrl: "https://cp.example:5684" },
        monitoringAssignment: { url: "grpc://cp.example:5676" },
        openapi: { url: "http://127.0.0.1:35681/openapi.json" },
      },
    });
  });
});
