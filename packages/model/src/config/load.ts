/**
 * Loading the server configuration: built-in defaults → YAML file →
 * environment variables → validation. Any problem is a ConfigError naming
 * the key (or variable) and the reason; a server never starts half-configured.
 */
import { parse as parseYaml } from "yaml";
import { formatGoDuration, parseDuration } from "../codec/duration.js";
import { configLeaves, isSection, type ConfigLeaf } from "./leaves.js";
import { resourceTypes } from "../registry.js";
import { isIpAddress } from "../validation/addresses.js";
import { ServerConfig, type AccessRule } from "./schema.js";
import { parseDefaultMesh } from "./default-mesh.js";
import type { TObject } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";

/** The configuration cannot be used; the message names the key or variable and the reason. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Where the configuration comes from. */
export interface ConfigSources {
  /** The YAML file's text and its name for messages. */
  readonly file?: { readonly text: string; readonly name: string };
  /** Environment variables (`process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** Builds the effective configuration from defaults, an optional YAML file and the environment. */
export function loadServerConfig(sources: ConfigSources = {}): ServerConfig {
  const config = defaultServerConfig() as unknown as Record<string, unknown>;
  if (sources.file) applyYaml(config, sources.file.text, sources.file.name);
  if (sources.env) applyEnv(config, sources.env);
  validate(config as unknown as ServerConfig);
  return config as unknown as ServerConfig;
}

/** The built-in defaults. */
export function defaultServerConfig(): ServerConfig {
  const config: Record<string, unknown> = {};
  for (const leaf of configLeaves) setAt(config, leaf.path, structuredClone(leaf.schema.default));
  return config as unknown as ServerConfig;
}

function applyYaml(config: Record<string, unknown>, text: string, source: string): void {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigError(`${source}: invalid YAML: ${(error as Error).message}`);
  }
  if (document === null || document === undefined) return;
  mergeSection(config, ServerConfig, document, [], source);
}

function mergeSection(
  target: Record<string, unknown>,
  schema: TObject,
  value: unknown,
  path: readonly string[],
  source: string,
): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ConfigError(`${source}: ${path.length ? path.join(".") : "the document"} must be a mapping`);
  }
  for (const [name, child] of Object.entries(value)) {
    const childPath = [...path, name];
    const childSchema = Object.hasOwn(schema.properties, name) ? schema.properties[name] : undefined;
    if (!childSchema) throw new ConfigError(`${source}: unknown key "${childPath.join(".")}"`);
    if (child === null) continue; // `key:` with no value keeps the default, as in Kuma
    if (isSection(childSchema)) {
      mergeSection(target[name] as Record<string, unknown>, childSchema, child, childPath, source);
    } else {
      const leaf = leafAt(childPath);
      target[name] = readYamlValue(leaf, child, `${source}: ${leaf.key}`);
    }
  }
}

function applyEnv(config: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): void {
  for (const leaf of configLeaves) {
    if (leaf.envVar === "") continue;
    const raw = env[leaf.envVar];
    if (raw === undefined) continue;
    setAt(config, leaf.path, readEnvValue(leaf, raw, `${leaf.envVar} (${leaf.key})`));
  }
}

function readYamlValue(leaf: ConfigLeaf, value: unknown, where: string): unknown {
  switch (leaf.kind) {
    case "list":
      if (typeof value === "string") return readEnvValue(leaf, value, where);
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
        throw invalid(where, value, "must be a list of strings");
      }
      return value;
    case "integer":
      if (typeof value === "number") return checkInteger(leaf, value, where, value);
      break;
    case "boolean":
      if (typeof value === "boolean") return value;
      break;
    case "json":
      return checkJson(leaf, value, where);
  }
  if (typeof value !== "string") throw invalid(where, value, expectation(leaf));
  return readEnvValue(leaf, value, where);
}

function readEnvValue(leaf: ConfigLeaf, raw: string, where: string): unknown {
  switch (leaf.kind) {
    case "string":
      return raw;
    case "enum":
      if (!leaf.schema.enum?.includes(raw)) throw invalid(where, raw, expectation(leaf));
      return raw;
    case "boolean":
      if (raw === "true" || raw === "1") return true;
      if (raw === "false" || raw === "0") return false;
      throw invalid(where, raw, expectation(leaf));
    case "integer":
      if (!/^[+-]?\d+$/.test(raw)) throw invalid(where, raw, expectation(leaf));
      return checkInteger(leaf, Number(raw), where, raw);
    case "duration": {
      const nanos = parseDuration(raw.trim());
      const lowest = leaf.schema.allowZero ? 0n : 1n;
      if (nanos === undefined || nanos < lowest) throw invalid(where, raw, expectation(leaf));
      return formatGoDuration(nanos);
    }
    case "json": {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch (error) {
        throw new ConfigError(`invalid JSON in ${where}: ${(error as Error).message}`);
      }
      return checkJson(leaf, value, where);
    }
    case "list":
      return raw
        .split(",")
        .map((item) => item.trim())
        .filter((item) => item !== "");
  }
}

/** A structured value checked against its schema; the message names the first offending field. */
function checkJson(leaf: ConfigLeaf, value: unknown, where: string): unknown {
  const schema = leaf.schema.valueSchema;
  if (!schema) return value;
  const error = Value.Errors(schema, value).First();
  if (error) {
    const at = error.path === "" ? "" : ` at ${error.path.replace(/^\//, "").replace(/\//g, ".")}`;
    throw new ConfigError(`invalid value of ${where}${at}: ${error.message}`);
  }
  return value;
}

function checkInteger(leaf: ConfigLeaf, n: number, where: string, shown: unknown): number {
  const { minimum = -Infinity, maximum = Infinity } = leaf.schema;
  if (!Number.isInteger(n) || n < minimum || n > maximum) throw invalid(where, shown, expectation(leaf));
  return n;
}

function expectation(leaf: ConfigLeaf): string {
  switch (leaf.kind) {
    case "string":
      return "must be a string";
    case "enum":
      return `must be one of: ${leaf.schema.enum?.join(", ")}`;
    case "boolean":
      return "must be true, false, 1 or 0";
    case "integer":
      return `must be an integer between ${leaf.schema.minimum} and ${leaf.schema.maximum}`;
    case "duration":
      return leaf.schema.allowZero
        ? 'must be a duration such as "5s", "250ms" or "1m", or 0'
        : 'must be a positive duration such as "5s", "250ms" or "1m"';
    case "json":
      return "must match the documented structure";
    case "list":
      return "must be a list of strings";
  }
}

function invalid(where: string, value: unknown, reason: string): ConfigError {
  const shown = typeof value === "string" ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return new ConfigError(`invalid value ${shown} of ${where}: ${reason}`);
}

/** `store.redis.nodes (KUMA_STORE_REDIS_NODES)`: where a value can be set, for messages. */
function settingName(key: string): string {
  const { envVar } = leafAt(key.split("."));
  return envVar === "" ? key : `${key} (${envVar})`;
}

/** Rules about a leaf's content, or about several leaves. */
function validate(config: ServerConfig): void {
  for (const pattern of config.apiServer.corsAllowedDomains) {
    try {
      new RegExp(`^(?:${pattern})$`);
    } catch (error) {
      throw invalid(settingName("apiServer.corsAllowedDomains"), pattern, (error as Error).message);
    }
  }
  const redis = config.store.redis;
  if (!isRedisUrl(redis.url)) {
    // The URL is not echoed: it may hold a password.
    throw new ConfigError(
      `invalid value of ${settingName("store.redis.url")}: must be a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0`,
    );
  }
  for (const node of redis.nodes) {
    if (!isHostPort(node)) throw invalid(settingName("store.redis.nodes"), node, "must be host:port");
  }
  if (config.store.type === "redis" && redis.mode !== "standalone" && redis.nodes.length === 0) {
    throw new ConfigError(
      `${settingName("store.redis.nodes")} must list at least one host:port in ${redis.mode} mode`,
    );
  }
  if (config.store.type === "redis" && redis.mode === "sentinel" && !redis.sentinelMasterName) {
    throw new ConfigError(`${settingName("store.redis.sentinelMasterName")} must be set in sentinel mode`);
  }
  validateAccessRules(config.access.static.resources.rules);
  for (const cidr of config.apiServer.rateLimit.trustedProxies) {
    if (!isCidr(cidr)) throw invalid(settingName("apiServer.rateLimit.trustedProxies"), cidr, "must be a CIDR such as 10.0.0.0/8 or an address");
  }
  const https = config.apiServer.https;
  if (https.enabled && (https.tlsCertFile === "" || https.tlsKeyFile === "")) {
    throw new ConfigError(
      `${settingName("apiServer.https.tlsCertFile")} and ${settingName("apiServer.https.tlsKeyFile")} must be set when ${settingName("apiServer.https.enabled")} is true`,
    );
  }
  if (https.requireClientCert && https.tlsCaFile === "") {
    throw new ConfigError(
      `${settingName("apiServer.https.tlsCaFile")} must be set when ${settingName("apiServer.https.requireClientCert")} is true`,
    );
  }
  try {
    parseDefaultMesh(config.defaults.mesh);
  } catch (error) {
    throw new ConfigError(`invalid value of ${settingName("defaults.mesh")}: ${(error as Error).message}`);
  }
}

/** The verbs of access rules (auth.md §6), aliases included. */
export const ACCESS_VERBS = ["get", "list", "create", "update", "delete", "watch", "*", "read", "write"] as const;

/** Unknown verbs and types in access rules are start-up errors that name the field. */
function validateAccessRules(rules: readonly AccessRule[]): void {
  const where = settingName("access.static.resources.rules");
  const types = new Set<string>(["*", ...resourceTypes.map((type) => type.name)]);
  rules.forEach((rule, i) => {
    for (const verb of rule.verbs) {
      if (!(ACCESS_VERBS as readonly string[]).includes(verb)) {
        throw new ConfigError(
          `invalid value of ${where} at ${i}.verbs: unknown verb ${JSON.stringify(verb)} (one of: ${ACCESS_VERBS.join(", ")})`,
        );
      }
    }
    for (const type of rule.types) {
      if (!types.has(type)) {
        throw new ConfigError(`invalid value of ${where} at ${i}.types: unknown type ${JSON.stringify(type)}`);
      }
    }
    for (const mesh of rule.meshes) {
      if (mesh === "") throw new ConfigError(`invalid value of ${where} at ${i}.meshes: a mesh name cannot be empty`);
    }
  });
}

/** `10.0.0.0/8`, `::1/128` or a single address. */
function isCidr(text: string): boolean {
  const [address = "", bits, ...rest] = text.split("/");
  if (!isIpAddress(address) || rest.length > 0) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (address.includes(":") ? 128 : 32);
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === "redis:" || url.protocol === "rediss:") && url.hostname !== "";
  } catch {
    return false;
  }
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[^\s:[\]]+):(\d{1,5})$/;

function isHostPort(text: string): boolean {
  const match = HOST_PORT.exec(text);
  return match !== null && Number(match[1]) <= 65535;
}

function leafAt(path: readonly string[]): ConfigLeaf {
  const key = path.join(".");
  const leaf = configLeaves.find((l) => l.key === key);
  if (!leaf) throw new TypeError(`no configuration leaf ${key}`);
  return leaf;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const name of path.slice(0, -1)) {
    node = (node[name] ??= {}) as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}
