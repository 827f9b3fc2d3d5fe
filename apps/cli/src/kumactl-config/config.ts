/**
 * The kumactl configuration: control planes, contexts and the current one.
 * Read leniently (camelCase or snake_case keys, unknown keys ignored, an
 * empty document is an empty configuration); written canonically (camelCase,
 * sorted keys, empty lists as `[]`).
 */

/** A control plane kumactl knows. */
export interface ControlPlane {
  readonly name: string;
  readonly url: string;
  /** Kept for compatibility: the admin client certificate and key given to `add`. */
  readonly credentials?: { readonly clientCert?: string; readonly clientKey?: string };
  /** How kumactl authenticates (auth.md §5): `authType: tokens`, `authConf: {token}`. */
  readonly auth?: { readonly type: string; readonly conf: Readonly<Record<string, string>> };
  /** TLS to the API server (auth.md §11). */
  readonly tls?: ControlPlaneTls;
}

/** TLS settings of a control plane's API server. */
export interface ControlPlaneTls {
  readonly caCertFile?: string;
  readonly clientCertFile?: string;
  readonly clientKeyFile?: string;
  readonly skipVerify?: boolean;
}

/** A context: which control plane, with optional defaults. */
export interface Context {
  readonly name: string;
  readonly controlPlane: string;
  readonly defaults?: { readonly mesh?: string };
}

/** The whole configuration file. */
export interface KumactlConfig {
  readonly controlPlanes: readonly ControlPlane[];
  readonly contexts: readonly Context[];
  /** `""` when there is none. */
  readonly currentContext: string;
}

/** What a first use writes to `~/.kumactl/config`. */
export function defaultConfig(): KumactlConfig {
  return {
    controlPlanes: [{ name: "local", url: "http://localhost:5681" }],
    contexts: [{ name: "local", controlPlane: "local" }],
    currentContext: "local",
  };
}

/** Reads a parsed YAML document (any shape) as a configuration. */
export function configFromDocument(document: unknown): KumactlConfig {
  const root = normalize(document);
  return {
    controlPlanes: list(root.controlPlanes).map((entry) => {
      const credentials = normalize(entry.credentials);
      const clientCert = optionalText(credentials.clientCert);
      const clientKey = optionalText(credentials.clientKey);
      const apiServer = normalize(normalize(entry.coordinates).apiServer);
      const url = text(apiServer.url);
      const authType = optionalText(apiServer.authType);
      const authConf = normalize(apiServer.authConf);
      const tls: ControlPlaneTls = {
        ...(optionalText(apiServer.caCertFile) !== undefined && { caCertFile: optionalText(apiServer.caCertFile) }),
        ...(optionalText(apiServer.clientCertFile) !== undefined && { clientCertFile: optionalText(apiServer.clientCertFile) }),
        ...(optionalText(apiServer.clientKeyFile) !== undefined && { clientKeyFile: optionalText(apiServer.clientKeyFile) }),
        ...(apiServer.skipVerify === true && { skipVerify: true }),
      };
      return {
        name: text(entry.name),
        url,
        ...(authType !== undefined
          ? {
              auth: {
                type: authType,
                conf: Object.fromEntries(
                  Object.entries(authConf).filter((pair): pair is [string, string] => typeof pair[1] === "string"),
                ),
              },
            }
          : {}),
        ...(Object.keys(tls).length > 0 ? { tls } : {}),
        ...(clientCert !== undefined || clientKey !== undefined
          ? {
              credentials: {
                ...(clientCert !== undefined && { clientCert }),
                ...(clientKey !== undefined && { clientKey }),
              },
            }
          : {}),
      };
    }),
    contexts: list(root.contexts).map((entry) => {
      const mesh = optionalText(normalize(entry.defaults).mesh);
      return {
        name: text(entry.name),
        controlPlane: text(entry.controlPlane),
        ...(mesh !== undefined ? { defaults: { mesh } } : {}),
      };
    }),
    currentContext: text(root.currentContext),
  };
}

/** The document to write: camelCase keys (sorted when rendered), empty lists kept. */
export function documentFromConfig(config: KumactlConfig): Record<string, unknown> {
  return {
    contexts: config.contexts.map((context) => ({
      controlPlane: context.controlPlane,
      ...(context.defaults?.mesh !== undefined
        ? { defaults: { mesh: context.defaults.mesh } }
        : {}),
      name: context.name,
    })),
    controlPlanes: config.controlPlanes.map((cp) => ({
      coordinates: {
        apiServer: {
          url: cp.url,
          ...(cp.auth ? { authType: cp.auth.type, authConf: { ...cp.auth.conf } } : {}),
          ...(cp.tls ?? {}),
        },
      },
      ...(cp.credentials ? { credentials: { ...cp.credentials } } : {}),
      name: cp.name,
    })),
    currentContext: config.currentContext,
  };
}

/** The control plane of the current context, or why there is none. */
export function currentControlPlane(
  config: KumactlConfig,
): ControlPlane | { readonly problem: string } {
  if (config.currentContext === "") {
    return {
      problem:
        "active Control Plane is not set. Use `kumactl config control-planes add` to add a Control Plane and make it active",
    };
  }
  const context = config.contexts.find((c) => c.name === config.currentContext);
  const controlPlane =
    context && config.controlPlanes.find((cp) => cp.name === context.controlPlane);
  if (!controlPlane) {
    return {
      problem:
        "apparently, configuration is broken. Use `kumactl config control-planes add` to add a Control Plane and make it active",
    };
  }
  return controlPlane;
}

/** Adds (or, with `overwrite`, replaces) a control plane and its context, and makes it current; false when the name is taken. */
export function addControlPlane(
  config: KumactlConfig,
  controlPlane: ControlPlane,
  overwrite: boolean,
): KumactlConfig | undefined {
  const taken = config.controlPlanes.some((cp) => cp.name === controlPlane.name);
  if (taken && !overwrite) return undefined;
  const context: Context = { name: controlPlane.name, controlPlane: controlPlane.name };
  return {
    controlPlanes: replaceOrAppend(config.controlPlanes, controlPlane),
    contexts: replaceOrAppend(config.contexts, context),
    currentContext: controlPlane.name,
  };
}

/** Makes a context current; undefined when there is no context of that name. */
export function switchContext(config: KumactlConfig, name: string): KumactlConfig | undefined {
  if (!config.contexts.some((c) => c.name === name)) return undefined;
  return { ...config, currentContext: name };
}

/**
 * Removes a control plane and every context that uses it; undefined when
 * there is no such control plane. When the current context goes, the first
 * remaining context becomes current (or none).
 */
export function removeControlPlane(config: KumactlConfig, name: string): KumactlConfig | undefined {
  if (!config.controlPlanes.some((cp) => cp.name === name)) return undefined;
  const contexts = config.contexts.filter((c) => c.controlPlane !== name);
  const currentKept = contexts.some((c) => c.name === config.currentContext);
  return {
    controlPlanes: config.controlPlanes.filter((cp) => cp.name !== name),
    contexts,
    currentContext: currentKept ? config.currentContext : (contexts[0]?.name ?? ""),
  };
}

function replaceOrAppend<T extends { readonly name: string }>(items: readonly T[], item: T): T[] {
  const index = items.findIndex((existing) => existing.name === item.name);
  return index === -1
    ? [...items, item]
    : items.map((existing, i) => (i === index ? item : existing));
}

/** An object with camelCase keys (`control_planes` → `controlPlanes`); anything else reads as `{}`. */
function normalize(value: unknown): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    const camel = key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
    // An explicit camelCase key wins over its snake_case spelling.
    if (!(camel in out) || camel === key) out[camel] = entry;
  }
  return out;
}

function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(normalize) : [];
}

function text(value: unknown): string {
  return optionalText(value) ?? "";
}

function optionalText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object") return undefined;
  return String(value);
}
