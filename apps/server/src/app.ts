/**
 * The Koa application of the HTTP API (http-api.md). Middleware order
 * (design.md): request id + access log → error translation → CORS →
 * read-only guard → routes → 404/405 for what no route handled.
 */
import Koa from "koa";
import { pino, type Logger } from "pino";
import type { ServerConfig } from "@kuma-ts/model";
import type { ResourceStore } from "@kuma-ts/store";
import type { ApiContext, ApiState } from "./http/context.js";
import { cors } from "./http/cors.js";
import { errorTranslation } from "./http/error-middleware.js";
import { readOnlyGuard } from "./http/read-only.js";
import { requestContext } from "./http/request-context.js";
import { createRouting, type RouteDefinition } from "./http/routing.js";
import { unrouted } from "./http/unrouted.js";
import { instrumentStore } from "./observability/instrumented-store.js";
import { createMetrics, type ServerMetrics } from "./observability/metrics.js";
import { createAuditLog, type AuditLog } from "./auth/audit-log.js";
import { createAuth, type Auth } from "./auth/auth.js";
import { createRateLimiter, type RateLimiter } from "./auth/rate-limiter.js";
import { ApiError } from "./http/api-error.js";
import { infoRoutes } from "./routes/info.js";
import { inspectionRoutes } from "./routes/inspection.js";
import { openApiRoute } from "./routes/openapi.js";
import { overviewRoutes } from "./routes/overview.js";
import { resourceRoutes } from "./routes/resources.js";
import { tokenRoutes } from "./routes/tokens.js";
import { durationMillis } from "./server/durations.js";
import { eventsRoutes } from "./watch/events-route.js";
import { WatchHub } from "./watch/watch-hub.js";

/** What the API needs. */
export interface AppOptions {
  readonly store: ResourceStore;
  readonly config: ServerConfig;
  /** Where request and error lines go; silent when absent. */
  readonly logger?: Logger;
  /** Where request and store metrics go; a fresh registry when absent. */
  readonly metrics?: ServerMetrics;
  /** The authentication service; built from the config over the store's GlobalSecrets when absent. */
  readonly auth?: Auth;
  /** The audit log; built from `apiServer.audit` when absent (the caller then cannot close its file). */
  readonly audit?: AuditLog;
  /** The server's watches, so that a drain can end them; one of the app's own when absent. */
  readonly watches?: WatchHub;
}

/**
 * The route table of the API: what the router dispatches and what
 * `GET /openapi.json` describes (a route added here needs `docs`, see
 * http/routing.ts).
 */
export function apiRoutes(
  config: ServerConfig,
  store: ResourceStore,
  auth: Auth = createAuth({
    config,
    secrets: store.globalSecrets,
    logger: pino({ level: "silent" }),
  }),
  watches: WatchHub = createWatchHub(store, config),
): RouteDefinition[] {
  const routes: RouteDefinition[] = [
    ...infoRoutes(config),
    ...resourceRoutes({
      store,
      maxRequestBodyBytes: config.apiServer.maxRequestBodyBytes,
      authorizer: auth.authorizer,
      watches,
    }),
    ...overviewRoutes(store, auth.authorizer, watches),
    ...eventsRoutes(store, auth.authorizer, watches),
    ...inspectionRoutes(store, auth.authorizer),
    ...tokenRoutes(auth, config.apiServer.maxRequestBodyBytes),
  ];
  routes.push(openApiRoute(() => routes));
  return routes;
}

/**
 * Builds the Koa app of the API; it does not listen.
 *
 * @example
 * const app = createApp({ store: createMemoryStore(), config: defaultServerConfig() });
 * http.createServer(app.callback()).listen(5681);
 */
export function createApp(options: AppOptions): Koa<ApiState, ApiContext> {
  const { config } = options;
  const logger = options.logger ?? pino({ level: "silent" });
  const metrics = options.metrics ?? createMetrics();
  const store = instrumentStore(options.store, metrics);
  const auth = options.auth ?? createAuth({ config, secrets: store.globalSecrets, logger });
  const rateLimiter = createRateLimiter({
    config: config.apiServer.rateLimit,
    buckets: store.tokenBuckets,
    leases: store.slotLeases,
    logger,
  });
  const watches = options.watches ?? createWatchHub(options.store, config);
  const routing = createRouting(
    authenticated(auth, rateLimiter, apiRoutes(config, store, auth, watches)),
  );
  const audit = options.audit ?? createAuditLog({ ...config.apiServer.audit, logger });
  const readOnly = config.apiServer.readOnly;

  const app = new Koa<ApiState, ApiContext>();
  app.silent = true;
  app.on("error", (error: unknown) =>
    logger.warn({ err: error }, "error outside the request pipeline"),
  );
  app.use(requestContext(logger, metrics, config.apiServer.accessLog));
  app.use(audit.middleware);
  app.use(errorTranslation(logger));
  app.use(
    cors({
      allowedDomains: config.apiServer.corsAllowedDomains,
      readOnly,
      methodsOf: routing.methodsOf,
    }),
  );
  if (readOnly) app.use(readOnlyGuard(routing.methodsOf));
  app.use(routing.router.routes());
  app.use(unrouted(routing, readOnly));
  return app;
}

/**
 * Every route's handlers, run once the caller is authenticated and charged
 * to its rate limit (auth.md §2: route match → 401 → 429 → the handler,
 * which authorizes before it reads a body).
 */
function authenticated(
  auth: Auth,
  rateLimiter: RateLimiter | undefined,
  routes: readonly RouteDefinition[],
): RouteDefinition[] {
  const guard = async (ctx: ApiContext): Promise<void> => {
    try {
      await auth.authenticate(ctx);
    } catch (error) {
      if (rateLimiter && error instanceof ApiError && error.status === 401)
        await rateLimiter.chargeFailure(ctx);
      throw error;
    }
    if (rateLimiter) {
      await rateLimiter.limit(ctx);
      ctx.state.admitWatch = () => rateLimiter.admitWatch(ctx);
    }
  };
  return routes.map((route) => ({
    ...route,
    handlers: Object.fromEntries(
      Object.entries(route.handlers).map(([method, handler]) => [
        method,
        async (ctx: ApiContext) => {
          await guard(ctx);
          await handler(ctx);
        },
      ]),
    ),
  }));
}

/** The watches of a server over `store`, with the limits of `apiServer.watch`. */
export function createWatchHub(store: ResourceStore, config: ServerConfig): WatchHub {
  const { watch } = config.apiServer;
  return new WatchHub({
    store,
    heartbeatMs: durationMillis(watch.heartbeatInterval),
    maxStreams: watch.maxStreams,
    maxBufferedEvents: watch.maxBufferedEvents,
  });
}
