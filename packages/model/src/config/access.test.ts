import { describe, expect, it } from "vitest";
import { ConfigError, defaultServerConfig, loadServerConfig } from "./index.js";

describe("the access and authn settings", () => {
  it("default to Kuma 0.4's behaviour: everyone may do everything, localhost is admin, tokens by EdDSA", () => {
    const config = defaultServerConfig();
    expect(config.access.static.resources.rules).toEqual([
      { groups: ["mesh-system:unauthenticated", "mesh-system:authenticated"], users: [], meshes: ["*"], types: ["*"], verbs: ["*"] },
    ]);
    expect(config.apiServer.authn).toMatchObject({ type: "tokens", localhostIsAdmin: true, tokens: { signingAlgorithm: "EdDSA", maxValidFor: "0s" } });
    expect(config.apiServer.rateLimit.enabled).toBe(false);
  });

  it("reads Kuma's variable names, and a JSON rules list that replaces the default", () => {
    const config = loadServerConfig({
      env: {
        KUMA_ACCESS_STATIC_ADMIN_RESOURCES_USERS: "alice, bob",
        KUMA_ACCESS_STATIC_GENERATE_USER_TOKEN_GROUPS: "ops",
        KUMA_ACCESS_STATIC_RESOURCES_RULES: '[{"groups":["dev"],"meshes":["demo"],"types":["TrafficRoute"],"verbs":["read","create"]}]',
        KUMA_API_SERVER_AUTHN_TOKENS_MAX_VALID_FOR: "24h",
        KUMA_API_SERVER_HTTPS_CLIENT_CERTS_CA_FILE: "/ca.crt",
      },
    });
    expect(config.access.static.adminResources.users).toEqual(["alice", "bob"]);
    expect(config.access.static.generateUserToken.groups).toEqual(["ops"]);
    expect(config.access.static.resources.rules).toEqual([{ groups: ["dev"], meshes: ["demo"], types: ["TrafficRoute"], verbs: ["read", "create"] }]);
    expect(config.apiServer.authn.tokens.maxValidFor).toBe("24h0m0s");
    expect(config.apiServer.https.tlsCaFile).toBe("/ca.crt");
  });

  it.each([
    ["not json", "invalid JSON in KUMA_ACCESS_STATIC_RESOURCES_RULES"],
    ['[{"meshes":["*"],"types":["*"],"verbs":["fly"]}]', 'at 0.verbs: unknown verb "fly"'],
    ['[{"meshes":["*"],"types":["Gateway"],"verbs":["get"]}]', 'at 0.types: unknown type "Gateway"'],
    ['[{"meshes":["*"],"types":["*"]}]', "KUMA_ACCESS_STATIC_RESOURCES_RULES (access.static.resources.rules) at 0"],
  ])("stops start-up on rules %s, naming the field", (rules, message) => {
    expect(() => loadServerConfig({ env: { KUMA_ACCESS_STATIC_RESOURCES_RULES: rules } })).toThrow(ConfigError);
    expect(() => loadServerConfig({ env: { KUMA_ACCESS_STATIC_RESOURCES_RULES: rules } })).toThrow(message);
  });

  it("reads static public keys from YAML only, and rejects unknown algorithms and bad proxies", () => {
    const config = loadServerConfig({
      file: { name: "c.yaml", text: "apiServer:\n  authn:\n    tokens:\n      validator:\n        publicKeys:\n          - kid: offline\n            keyFile: /keys/offline.pem\n" },
    });
    expect(config.apiServer.authn.tokens.validator.publicKeys).toEqual([{ kid: "offline", keyFile: "/keys/offline.pem" }]);
    expect(() => loadServerConfig({ env: { KUMA_API_SERVER_AUTHN_TOKENS_SIGNING_ALGORITHM: "HS256" } })).toThrow("must be one of: EdDSA, RS256");
    expect(() => loadServerConfig({ env: { KUMA_API_SERVER_AUTHN_TYPE: "oidc" } })).toThrow("KUMA_API_SERVER_AUTHN_TYPE");
    expect(() => loadServerConfig({ env: { KUMA_API_SERVER_RATE_LIMIT_TRUSTED_PROXIES: "10.0.0.0/33" } })).toThrow("must be a CIDR");
    expect(loadServerConfig({ env: { KUMA_API_SERVER_RATE_LIMIT_TRUSTED_PROXIES: "10.0.0.0/8,::1" } }).apiServer.rateLimit.trustedProxies).toEqual(["10.0.0.0/8", "::1"]);
  });
});
