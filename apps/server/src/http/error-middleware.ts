/**
 * Second middleware: everything below throws typed errors; this writes them
 * as the JSON error body of http-api.md §3. Unexpected errors answer 500 and
 * their cause is logged, never sent.
 */
import type { Middleware } from "koa";
import type { Logger } from "pino";
import { Title, type ApiError } from "./api-error.js";
import type { ApiContext, ApiState } from "./context.js";
import { translateError } from "./translate-error.js";

export function errorTranslation(logger: Logger): Middleware<ApiState, ApiContext> {
  return async (ctx, next) => {
    ctx.state.operation = Title.internal;
    try {
      await next();
    } catch (thrown) {
      const { error, unexpected } = translateError(thrown, ctx.state.operation);
      if (unexpected) {
        logger.error({ reqId: ctx.state.requestId, err: thrown }, "unexpected error while serving a request");
      }
      writeError(ctx, error);
    }
  };
}

/** Writes an ApiError as the response. */
export function writeError(ctx: ApiContext, error: ApiError): void {
  ctx.remove("ETag");
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.status = error.status;
  ctx.set("Content-Type", "application/json; charset=utf-8");
  ctx.body = JSON.stringify(error);
}
