/**
 * What one run of a kumactl command works with: the injected dependencies,
 * the global flags, the configuration file and the client of the current
 * control plane.
 */
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Command } from "commander";
import {
  createClient,
  KumaClientError,
  type ClientOptions,
  type Fetch,
  type KumaClient,
} from "@kuma-ts/client";
import { parseTimestamp } from "@kuma-ts/model";
import type { BuildInfo } from "./build-info.js";
import { CliError, RequestFailedError } from "./errors.js";
import { loadConfig, saveConfig, type ConfigLocation } from "./kumactl-config/config-file.js";
import {
  currentControlPlane,
  type ControlPlane,
  type ControlPlaneTls,
  type KumactlConfig,
} from "./kumactl-config/config.js";
import type { NodeFetchTls } from "./node-fetch.js";
import { isOutputFormat, type OutputFormat } from "./output/printers.js";

/** Somewhere text goes (process.stdout, a test buffer). */
export interface TextSink {
  write(text: string): unknown;
}

/** Everything kumactl touches outside itself; tests pass their own. */
export interface KumactlDependencies {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Read by `apply` without `-f` or with `-f -`. */
  readonly stdin?: AsyncIterable<string | Uint8Array>;
  /** Environment variables (`HOME`, `KUMACTL_NOW`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The clock, unless `KUMACTL_NOW` is set. */
  readonly now?: () => Date;
  /** The configuration file used without `--config-file` (`~/.kumactl/config` by default). */
  readonly configPath?: string;
  /** The fetch of the client, of `apply -f URL` and of the reachability check. */
  readonly fetch?: Fetch;
  /** Builds the client of a control plane. */
  readonly createClient?: (options: ClientOptions) => KumaClient;
  /** A fetch with TLS settings, for control planes configured with a CA, a client certificate or `skipVerify`. */
  readonly fetchWithTls?: (tls: NodeFetchTls) => Fetch;
  /** What `kumactl version` prints. */
  readonly buildInfo?: BuildInfo;
  /**
   * Calls `stop` on Ctrl-C (SIGINT), SIGTERM or when stdout's reader goes
   * away, until the function it returns is called: how a watch (`-w`)
   * learns that it should end.
   */
  readonly onInterrupt?: (stop: () => void) => () => void;
}

/** The log levels `--log-level` accepts. */
export const LOG_LEVELS = ["off", "info", "debug"];

/** One run of one command. */
export class RunContext {
  private config: KumactlConfig | undefined;
  private current: { readonly controlPlane: ControlPlane; readonly client: KumaClient } | undefined;

  constructor(
    readonly deps: KumactlDependencies,
    readonly command: Command,
  ) {}

  private get globals(): { configFile?: string; mesh: string; logLevel: string; output?: string } {
    return this.command.optsWithGlobals();
  }

  /** `--mesh`. */
  get mesh(): string {
    return this.globals.mesh;
  }

  /** Fails on a `--log-level` kumactl does not know. */
  checkLogLevel(): void {
    const level = this.globals.logLevel;
    if (!LOG_LEVELS.includes(level))
      throw new CliError(`unknown log level ${JSON.stringify(level)}`);
  }

  /** `-o`, checked. */
  outputFormat(): OutputFormat {
    const format = this.globals.output ?? "table";
    if (!isOutputFormat(format))
      throw new CliError(`unknown output format ${JSON.stringify(format)}`);
    return format;
  }

  /** The configuration file in use. */
  configLocation(): ConfigLocation {
    const explicit = this.globals.configFile;
    if (explicit) return { path: explicit, explicit: true };
    return { path: this.deps.configPath ?? defaultConfigPath(this.deps.env), explicit: false };
  }

  /** The configuration (read once; created on first use). */
  async loadConfig(): Promise<KumactlConfig> {
    this.config ??= await loadConfig(this.configLocation());
    return this.config;
  }

  /** Writes the configuration file. */
  async saveConfig(config: KumactlConfig): Promise<void> {
    await saveConfig(this.configLocation().path, config);
    this.config = config;
  }

  /**
   * Calls the current control plane. A failure of the client becomes a
   * RequestFailedError that says what kumactl was doing (`failed to list
   * Meshes`) and with which control plane.
   */
  async request<T>(doing: string, call: (client: KumaClient) => Promise<T>): Promise<T> {
    const { controlPlane, client } = await this.currentClient();
    try {
      return await call(client);
    } catch (error) {
      if (error instanceof KumaClientError)
        throw new RequestFailedError(doing, error, controlPlane);
      throw error;
    }
  }

  /** The current control plane and its client (made once). */
  private async currentClient(): Promise<{ controlPlane: ControlPlane; client: KumaClient }> {
    if (!this.current) {
      const controlPlane = currentControlPlane(await this.loadConfig());
      if ("problem" in controlPlane) throw new CliError(controlPlane.problem);
      this.current = { controlPlane, client: await this.clientOf(controlPlane) };
    }
    return this.current;
  }

  /**
   * The client of a control plane: its token (`KUMACTL_TOKEN` overrides the
   * configured one) and its TLS settings.
   */
  async clientOf(
    controlPlane: Pick<ControlPlane, "url" | "auth" | "tls">,
    options: Partial<ClientOptions> = {},
  ): Promise<KumaClient> {
    const token = this.deps.env?.KUMACTL_TOKEN || tokenOf(controlPlane);
    const fetch = await this.fetchFor(controlPlane.tls);
    return this.newClient({
      ...options,
      baseUrl: controlPlane.url,
      ...(token ? { auth: { type: "tokens", token } } : {}),
      ...(fetch ? { fetch } : {}),
    });
  }

  /** The fetch of a control plane's TLS settings (the injected one without them). */
  private async fetchFor(tls: ControlPlaneTls | undefined): Promise<Fetch | undefined> {
    if (!tls || !this.deps.fetchWithTls) return undefined;
    const read = async (file: string | undefined, what: string): Promise<Buffer | undefined> => {
      if (file === undefined || file === "") return undefined;
      try {
        return await readFile(file);
      } catch (error) {
        throw new CliError(
          `could not read the ${what} ${JSON.stringify(file)}: ${(error as Error).message}`,
        );
      }
    };
    const ca = await read(tls.caCertFile, "CA certificate");
    const cert = await read(tls.clientCertFile, "client certificate");
    const key = await read(tls.clientKeyFile, "client key");
    return this.deps.fetchWithTls({
      ...(ca ? { ca } : {}),
      ...(cert ? { cert } : {}),
      ...(key ? { key } : {}),
      ...(tls.skipVerify ? { skipVerify: true } : {}),
    });
  }

  /** A client of any address (with the injected fetch unless `options` brings one). */
  newClient(options: ClientOptions): KumaClient {
    const create = this.deps.createClient ?? createClient;
    return create({ ...(this.deps.fetch ? { fetch: this.deps.fetch } : {}), ...options });
  }

  /** "Now" in nanoseconds since the epoch: `KUMACTL_NOW` when set, else the clock. */
  nowNanos(): bigint {
    const pinned = this.deps.env?.KUMACTL_NOW;
    if (pinned !== undefined && pinned !== "") {
      const parsed = parseTimestamp(pinned);
      if (!parsed)
        throw new CliError(
          `invalid KUMACTL_NOW ${JSON.stringify(pinned)}: must be an RFC 3339 timestamp`,
        );
      return BigInt(parsed.seconds) * 1_000_000_000n + BigInt(parsed.nanos);
    }
    return BigInt((this.deps.now?.() ?? new Date()).getTime()) * 1_000_000n;
  }

  /** Calls `stop` on Ctrl-C or SIGTERM, until the returned function is called. */
  onInterrupt(stop: () => void): () => void {
    return this.deps.onInterrupt?.(stop) ?? (() => undefined);
  }

  /** Writes results (tables, JSON, YAML, help). */
  out(text: string): void {
    this.deps.stdout.write(text);
  }

  /** Writes status lines. */
  err(text: string): void {
    this.deps.stderr.write(text);
  }
}

/** The token of a control plane configured with `--auth-type tokens --auth-conf token=…`. */
function tokenOf(controlPlane: Pick<ControlPlane, "auth">): string | undefined {
  return controlPlane.auth?.type === "tokens" ? controlPlane.auth.conf.token : undefined;
}

/** `~/.kumactl/config`. */
function defaultConfigPath(env: KumactlDependencies["env"]): string {
  return path.join(env?.HOME || env?.USERPROFILE || os.homedir(), ".kumactl", "config");
}
