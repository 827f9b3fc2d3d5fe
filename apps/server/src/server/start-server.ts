/**
 * Running the control plane: configuration → store → default mesh → the
 * API and diagnostics servers → graceful drain. Listening is the caller's
 * choice (`src/main.ts` for `kuma-cp run`, tests on port 0); nothing here
 * reads the environment, exits or installs signal handlers.
 */
import type http from "node:http";
import net, { type AddressInfo, type Socket } from "node:net";
import { pino, type Logger } from "pino";
import type { ServerConfig } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import { createApp, createWatchHub } from "../app.js";
import { createAuditLog } from "../auth/audit-log.js";
import { createAuth } from "../auth/auth.js";
import { embeddedGuiDir } from "../embedded-gui.js";
import { createGuiServer } from "../gui-server/gui-server.js";
import { createMetrics } from "../observability/metrics.js";
import { serverVersion } from "../version.js";
import { ensureDefaultMesh } from "./default-mesh.js";
import { createDiagnosticsServer } from "./diagnostics.js";
import { durationMillis } from "./durations.js";
import { createApiHttpServer } from "./http-server.js";
import { createStoreFromConfig } from "./store-from-config.js";
import { reloadTlsOnChange, tlsOptions } from "./tls-files.js";

/** The GUI binds every interface, as Kuma 0.4's did (a `guiServer.interface` is for later). */
const GUI_INTERFACE = "0.0.0.0";
/** How often the default mesh is retried while the store is unreachable at start-up. */
const DEFAULT_MESH_RETRY_MS = 1000;
/** The property of a connection's socket that holds its latest response. */
const LATEST_RESPONSE = Symbol("latestResponse");
/** How often connections that became idle are closed while draining. */
const DRAIN_POLL_MS = 50;
/**
 * How long a drain leaves open connections alone before it closes idle ones:
 * a request already on its way on a kept-alive connection, or on one accepted
 * just before the listener closed, then gets its answer (with `Connection:
 * close`) instead of a reset.
 */
export const DRAIN_GRACE_MS = 250;

/** What startServer needs. */
export interface StartServerOptions {
  readonly config: ServerConfig;
  /** Where logs go; silent when absent. */
  readonly logger?: Logger;
  /** A store to use instead of the one `config.store` describes; the caller keeps ownership (it is not closed). */
  readonly store?: ResourceStore;
}

/** A running control plane. */
export interface RunningServer {
  /** `http://<host>:<port>` of the API. */
  readonly apiUrl: string;
  /** `https://<host>:<port>` of the API over TLS; undefined unless `apiServer.https.enabled`. */
  readonly apiHttpsUrl: string | undefined;
  /** `http://<host>:<port>` of `/healthy`, `/ready` and `/metrics`. */
  readonly diagnosticsUrl: string;
  /** `http://<host>:<port>` of the web GUI; undefined when `guiServer.port` is 0. */
  readonly guiUrl: string | undefined;
  /**
   * Stops accepting connections, lets in-flight requests finish (at most
   * `apiServer.drainTimeout`), then stops the diagnostics server and closes
   * the store it created. Idempotent.
   */
  close(): Promise<void>;
}

/**
 * Starts the API and diagnostics servers. The store may be unreachable: the
 * server starts anyway, `/ready` answers 503 and the default mesh is retried
 * until the store answers.
 *
 * @example
 * const server = await startServer({ config: loadServerConfig({ env: process.env }) });
 * // ... later
 * await server.close();
 */
export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: "silent" });
  // Certificate files are read first: a missing one stops start-up before anything else is made.
  const tls = config.apiServer.https.enabled ? tlsOptions(config.apiServer.https) : undefined;
  const store = options.store ?? (await createStoreFromConfig(config.store));
  const ownsStore = options.store === undefined;
  const metrics = createMetrics();
  const storeAnswers = async (): Promise<boolean> => {
    try {
      await store.ping();
      return true;
    } catch {
      return false;
    }
  };
  metrics.setStoreProbe(storeAnswers);

  let draining = false;
  const defaultMesh = keepEnsuringDefaultMesh(store, config.defaults, logger);
  await defaultMesh.firstAttempt;

  const auth = createAuth({ config, secrets: store.globalSecrets, logger });
  const authBootstrap = keepRetrying(
    () => auth.bootstrap(),
    "could not create the user-token signing key or admin token; retrying",
    logger,
  );
  await authBootstrap.firstAttempt;

  const audit = createAuditLog({ ...config.apiServer.audit, logger });
  const watches = createWatchHub(store, config);
  const handler = createApp({ store, config, logger, metrics, auth, audit, watches }).callback();
  // The open connections and each one's latest response, so that a drain can tell keep-alive
  // clients whose answer is not yet written to go away. Kept per connection, not per response:
  // a listener per response cost 1–1.5 µs of every request.
  const connections = new Set<Socket>();
  const api = createApiHttpServer(config.apiServer, (req, res) => {
    if (draining) res.setHeader("Connection", "close");
    else
      (req.socket as Socket & { [LATEST_RESPONSE]?: http.ServerResponse })[LATEST_RESPONSE] = res;
    void handler(req, res);
  });
  api.on("connection", (socket: Socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });
  const httpsConfig = config.apiServer.https;
  const secure = tls
    ? createApiHttpServer(
        config.apiServer,
        (req, res) => {
          if (draining) res.setHeader("Connection", "close");
          void handler(req, res);
        },
        tls,
      )
    : undefined;
  const stopTlsReload = secure ? reloadTlsOnChange(secure, httpsConfig, logger) : undefined;
  const diagnostics = createDiagnosticsServer(
    metrics,
    async () => {
      if (draining) return "shutting down";
      if (!defaultMesh.ensured()) return "the default mesh is not created yet";
      return (await storeAnswers()) ? undefined : "the store is unreachable";
    },
    logger,
  );

  let apiAddress: AddressInfo;
  let secureAddress: AddressInfo | undefined;
  let diagnosticsAddress: AddressInfo;
  let gui: http.Server | undefined;
  let guiAddress: AddressInfo | undefined;
  try {
    apiAddress = await listen(api, config.apiServer.port, config.apiServer.interface);
    if (secure) secureAddress = await listen(secure, httpsConfig.port, httpsConfig.interface);
    diagnosticsAddress = await listen(
      diagnostics,
      config.diagnostics.port,
      config.diagnostics.interface,
    );
    if (config.guiServer.port !== 0) {
      gui = createGuiServer({
        apiUrl: urlOf(apiAddress),
        staticDir: embeddedGuiDir(),
        environment: config.environment,
        logger,
      });
      guiAddress = await listen(gui, config.guiServer.port, GUI_INTERFACE);
    }
  } catch (error) {
    defaultMesh.stop();
    await watches.close();
    authBootstrap.stop();
    api.close();
    stopTlsReload?.();
    secure?.close();
    diagnostics.close();
    gui?.close();
    if (ownsStore) await store.close();
    throw error;
  }
  const apiUrl = urlOf(apiAddress);
  const apiHttpsUrl = secureAddress && urlOf(secureAddress).replace(/^http:/, "https:");
  const diagnosticsUrl = urlOf(diagnosticsAddress);
  const guiUrl = guiAddress && urlOf(guiAddress);
  logger.info(
    {
      version: serverVersion(),
      apiUrl,
      apiHttpsUrl,
      diagnosticsUrl,
      guiUrl,
      store: config.store.type,
      readOnly: config.apiServer.readOnly,
    },
    "kuma-cp started",
  );

  let closing: Promise<void> | undefined;
  const drain = async (): Promise<void> => {
    draining = true;
    defaultMesh.stop();
    // Open watches would hold the drain up to its timeout: end them first (their clients resume elsewhere).
    const watchesClosed = watches.close();
    authBootstrap.stop();
    for (const socket of connections) {
      const res = (socket as Socket & { [LATEST_RESPONSE]?: http.ServerResponse })[LATEST_RESPONSE];
      if (res && !res.headersSent) res.setHeader("Connection", "close");
    }
    logger.info("draining: waiting for in-flight requests");
    // Stop accepting now; http.Server#close would also close idle connections at once, so the
    // listener is closed the net.Server way and idle connections only after the grace.
    const closed = new Promise<void>((resolve) =>
      net.Server.prototype.close.call(api, () => resolve()),
    );
    stopTlsReload?.();
    const secureClosed = new Promise<void>((resolve) =>
      secure ? secure.close(() => resolve()) : resolve(),
    );
    secure?.closeIdleConnections();
    // The GUI holds no state: it stops at once, its open event streams with it.
    gui?.close();
    gui?.closeAllConnections();
    let poll: NodeJS.Timeout | undefined;
    const grace = setTimeout(() => {
      // Connections that finish their request become idle; close them as they do.
      api.closeIdleConnections();
      poll = setInterval(() => api.closeIdleConnections(), DRAIN_POLL_MS);
    }, DRAIN_GRACE_MS);
    const deadline = setTimeout(() => {
      logger.warn("drain timeout: closing the remaining connections");
      api.closeAllConnections();
    }, durationMillis(config.apiServer.drainTimeout));
    await closed;
    secure?.closeAllConnections();
    await secureClosed;
    clearTimeout(grace);
    clearInterval(poll);
    clearTimeout(deadline);
    api.close(); // stops Node's timeout sweeps of the (now gone) connections
    await new Promise<void>((resolve) => {
      diagnostics.close(() => resolve());
      diagnostics.closeAllConnections();
    });
    await audit.close();
    await watchesClosed;
    if (ownsStore) await store.close();
    logger.info("kuma-cp stopped");
  };
  return {
    apiUrl,
    apiHttpsUrl,
    diagnosticsUrl,
    guiUrl,
    close: () => (closing ??= drain()),
  };
}

/** Tries to create the default mesh now, and again every second until it succeeds or is stopped. */
function keepEnsuringDefaultMesh(
  store: ResourceStore,
  defaults: ServerConfig["defaults"],
  logger: Logger,
) {
  return keepRetrying(
    () => ensureDefaultMesh(store, defaults),
    "could not ensure the default mesh; retrying",
    logger,
  );
}

/** Runs `work` now, and again every second until it succeeds or is stopped. */
function keepRetrying(work: () => Promise<unknown>, failure: string, logger: Logger) {
  let ensured = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const attempt = async (): Promise<void> => {
    try {
      await work();
      ensured = true;
    } catch (error) {
      logger.warn({ err: error }, failure);
      if (!stopped) timer = setTimeout(() => void attempt(), DEFAULT_MESH_RETRY_MS);
    }
  };
  return {
    firstAttempt: attempt(),
    ensured: () => ensured,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

function listen(server: http.Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** A URL to reach a listening address: wildcard interfaces are reached on loopback. */
function urlOf(address: AddressInfo): string {
  const host =
    address.address === "0.0.0.0"
      ? "127.0.0.1"
      : address.address === "::"
        ? "::1"
        : address.address;
  return `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
}
