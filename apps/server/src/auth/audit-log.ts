/**
 * The audit log (auth.md §10): one JSON line per mutating request and per
 * refused one (401, 403, 429), written once the response has finished.
 * It is built only from what the middleware chain recorded: never a
 * header, a body, a query string or a token.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import type { Middleware } from "koa";
import type { Logger } from "pino";
import type { ApiContext, ApiState } from "../http/context.js";

const MUTATING = new Set(["PUT", "POST", "DELETE", "PATCH"]);
const REFUSED = new Set([401, 403, 429]);

/** One line of the audit log, fields in the documented order. */
export interface AuditRecord {
  readonly ts: string;
  readonly requestId: string;
  readonly user: string | null;
  readonly groups: readonly string[];
  readonly authMethod: string | null;
  readonly tokenId: string | null;
  readonly sourceIp: string | null;
  readonly method: string;
  readonly path: string;
  readonly verb: string | null;
  readonly type: string | null;
  readonly mesh: string | null;
  readonly name: string | null;
  readonly status: number;
  readonly decision: "allow" | "deny";
  readonly reason: string | null;
  readonly durationMs: number;
  /** `POST /tokens/user`: who the token was issued to, never the token. */
  readonly issued?: { readonly name: string; readonly groups: readonly string[]; readonly validFor: string };
}

/** Where audit lines go. */
export interface AuditLog {
  readonly middleware: Middleware<ApiState, ApiContext>;
  /** Flushes and closes the file, if any. */
  close(): Promise<void>;
}

/** The audit log of `apiServer.audit`: a file (appended to), or the structured logger with `"logger":"audit"`. */
export function createAuditLog(options: { enabled: boolean; path: string; logger: Logger }): AuditLog {
  if (!options.enabled) {
    return { middleware: (_ctx, next) => next(), close: async () => {} };
  }
  let file: WriteStream | undefined;
  let write: (record: AuditRecord) => void;
  if (options.path === "") {
    const logger = options.logger.child({ logger: "audit" });
    write = (record) => logger.info(record, "audit");
  } else {
    const stream = createWriteStream(options.path, { flags: "a", mode: 0o600 });
    stream.on("error", (error) => options.logger.error({ err: error }, "cannot write the audit log"));
    file = stream;
    write = (record) => stream.write(`${JSON.stringify(record)}\n`);
  }
  return {
    middleware: async (ctx, next) => {
      const start = performance.now();
      const done = (): void => {
        if (!MUTATING.has(ctx.method) && !REFUSED.has(ctx.status)) return;
        write(recordOf(ctx, performance.now() - start));
      };
      try {
        await next();
      } finally {
        if (ctx.res.writableFinished) done();
        else ctx.res.once("close", done);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (!file) resolve();
        else file.end(() => resolve());
      }),
  };
}

function recordOf(ctx: ApiContext, durationMs: number): AuditRecord {
  const state = ctx.state;
  const status = ctx.res.headersSent ? ctx.res.statusCode : ctx.status;
  const denied = REFUSED.has(status);
  const access = state.access;
  return {
    ts: new Date().toISOString(),
    requestId: state.requestId,
    user: state.user?.name ?? null,
    groups: state.user?.groups ?? [],
    authMethod: state.authMethod ?? null,
    tokenId: state.tokenId ?? null,
    sourceIp: ctx.req.socket.remoteAddress ?? null,
    method: ctx.method,
    path: ctx.path,
    verb: access?.verb ?? null,
    type: access?.type ?? null,
    mesh: access?.mesh ?? null,
    name: access?.name ?? null,
    status,
    decision: denied ? "deny" : "allow",
    reason: denied ? (state.denyReason ?? null) : null,
    durationMs: Math.round(durationMs * 1000) / 1000,
    ...(state.issued ? { issued: state.issued } : {}),
  };
}
