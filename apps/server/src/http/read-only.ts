/**
 * Read-only mode (http-api.md §8): every PUT and DELETE of a known resource
 * route answers 405. Read-only guards resources, not tokens (auth.md §5).
 */
import type { Middleware } from "koa";
import { ApiError, Title } from "./api-error.js";
import type { ApiContext, ApiState } from "./context.js";

/** The `Allow` header of a path in read-only mode. */
export const READ_ONLY_ALLOW = "GET, HEAD, OPTIONS";

export function readOnlyGuard(methodsOf: (path: string) => string[]): Middleware<ApiState, ApiContext> {
  return async (ctx, next) => {
    // Unknown paths and methods the path never had fall through to the 404/405 answers.
    if (
      (ctx.method === "PUT" || ctx.method === "DELETE") &&
      isResourcePath(ctx.path) &&
      methodsOf(ctx.path).includes(ctx.method)
    ) {
      throw new ApiError(405, Title.methodNotAllowed, "the API server is in read-only mode", [], {
        Allow: READ_ONLY_ALLOW,
      });
    }
    return next();
  };
}

/** Whether a path is one of the resource routes (what read-only mode guards). */
export const isResourcePath = (path: string): boolean => path === "/meshes" || path.startsWith("/meshes/");
