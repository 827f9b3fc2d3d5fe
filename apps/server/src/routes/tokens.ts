/**
 * Token routes (auth.md §4–§5): issuing user tokens, rotating signing keys,
 * revoking tokens, and reading out the bootstrap admin token. None of them
 * ever answers a private key; only the bootstrap admin token is readable.
 */
import { formatGoDuration, parseDuration, type Cause } from "@kuma-ts/model";
import { Type } from "@sinclair/typebox";
import { decodeJwt } from "jose";
import { ADMIN_TOKEN_SECRET, type Auth } from "../auth/auth.js";
import { requireAllowed } from "../auth/authorizer.js";
import { TOKEN_ID } from "../auth/revocations.js";
import { LastSigningKeyError } from "../auth/signing-keys.js";
import { ApiError, Title } from "../http/api-error.js";
import type { ApiContext } from "../http/context.js";
import { readBodyText } from "../http/request-body.js";
import type { RouteDefinition } from "../http/routing.js";
import { errorResponse } from "../openapi/common-docs.js";
import type { ResponseDocs } from "../openapi/route-docs.js";
import { writeJson } from "./respond.js";

const TAG = "Tokens";

/** The body of `POST /tokens/user`. */
const TokenRequestBody = Type.Object(
  {
    name: Type.String({ description: "The user's name (claim `Name`)." }),
    groups: Type.Optional(Type.Array(Type.String(), { description: "The user's groups (claim `Groups`)." })),
    validFor: Type.String({ description: "Go duration syntax: `300ms`, `1.5h`, `2h45m`." }),
  },
  { additionalProperties: false },
);

/** The body of `POST /tokens/user/revocations`. */
const RevocationRequestBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Type.String(), { description: "Token ids (`jti`)." })),
    tokens: Type.Optional(Type.Array(Type.String(), { description: "Tokens; their `jti` is read without verifying them." })),
  },
  { additionalProperties: false },
);

const unauthenticatedDocs: ResponseDocs = errorResponse(
  "The Bearer token is invalid, expired, revoked or signed by an unknown key (`WWW-Authenticate: Bearer realm=\"kuma\"`).",
);
const adminDenied: ResponseDocs = errorResponse("The caller is not in `access.static.adminResources`.");

const INVALID_REQUEST = "Invalid request";

/** The token routes. */
export function tokenRoutes(auth: Auth, maxRequestBodyBytes: number): RouteDefinition[] {
  const access = auth.config.access.static;
  const adminOnly = (ctx: ApiContext): void => requireAllowed(ctx, access.adminResources, "access admin resources");
  const readBody = async (ctx: ApiContext): Promise<Record<string, unknown>> => {
    const text = await readBodyText(ctx.req, ctx.res, maxRequestBodyBytes);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      throw new ApiError(400, INVALID_REQUEST, "Could not parse the request body");
    }
    return body as Record<string, unknown>;
  };

  return [
    {
      template: "/tokens/user",
      handlers: {
        POST: async (ctx) => {
          ctx.state.operation = "Could not issue a token";
          requireAllowed(ctx, access.generateUserToken, "generate user tokens");
          if (!auth.config.apiServer.authn.tokens.enableIssuer) {
            throw new ApiError(400, "Could not issue a token", "issuing tokens using the control plane is disabled.");
          }
          const request = parseTokenRequest(await readBody(ctx), auth.maxValidForMs);
          const token = await auth.tokens.issue(request.name, request.groups, request.validForMs);
          ctx.state.issued = { name: request.name, groups: request.groups, validFor: request.validFor };
          ctx.status = 200;
          ctx.set("Content-Type", "text/plain; charset=utf-8");
          ctx.set("Cache-Control", "no-store");
          ctx.body = token;
        },
      },
      docs: {
        POST: {
          operationId: "issueUserToken",
          summary: "Issues a user token",
          description: "Guarded by `access.static.generateUserToken`. Available in read-only mode.",
          tag: TAG,
          requestBody: { body: { name: "UserTokenRequest", schema: TokenRequestBody }, description: "Who the token is for and for how long." },
          responses: {
            200: { description: "The token (a JWT), as plain text.", mediaType: "text/plain", body: Type.String(), headers: ["Cache-Control"] },
            400: errorResponse("The body cannot be parsed, is not valid (every cause listed), or the issuer is disabled."),
            401: unauthenticatedDocs,
            403: errorResponse("The caller is not in `access.static.generateUserToken`."),
          },
        },
      },
    },
    {
      template: "/tokens/user/signing-keys",
      handlers: {
        POST: async (ctx) => {
          ctx.state.operation = "Could not create a signing key";
          adminOnly(ctx);
          writeJson(ctx, 201, JSON.stringify({ kid: await auth.keys.rotate() }));
        },
      },
      docs: {
        POST: {
          operationId: "createSigningKey",
          summary: "Adds a signing key; new tokens are signed with it",
          tag: TAG,
          responses: {
            201: { description: "The new key's id.", body: { name: "SigningKeyId", schema: Type.Object({ kid: Type.String() }, { additionalProperties: false }) } },
            401: unauthenticatedDocs,
            403: adminDenied,
          },
        },
      },
    },
    {
      template: "/tokens/user/signing-keys/{kid}",
      handlers: {
        DELETE: async (ctx) => {
          ctx.state.operation = "Could not delete a signing key";
          adminOnly(ctx);
          try {
            if (!(await auth.keys.delete(ctx.params.kid ?? ""))) throw new ApiError(404, ctx.state.operation, "Not found");
          } catch (error) {
            if (error instanceof LastSigningKeyError) throw new ApiError(409, "Conflict", error.message);
            throw error;
          }
          writeJson(ctx, 200, "{}");
        },
      },
      docs: {
        DELETE: {
          operationId: "deleteSigningKey",
          summary: "Deletes a signing key; the tokens it signed stop working within a second",
          tag: TAG,
          pathParameters: { kid: "The key's id (its serial)." },
          responses: {
            200: { description: "Deleted.", body: Type.Object({}, { additionalProperties: false }) },
            401: unauthenticatedDocs,
            403: adminDenied,
            404: errorResponse("No such key."),
            409: errorResponse("It is the last signing key."),
          },
        },
      },
    },
    {
      template: "/tokens/user/revocations",
      handlers: {
        POST: async (ctx) => {
          ctx.state.operation = "Could not revoke tokens";
          adminOnly(ctx);
          const ids = parseRevocation(await readBody(ctx));
          await auth.revocations.revoke(ids);
          writeJson(ctx, 200, JSON.stringify({ revoked: ids }));
        },
      },
      docs: {
        POST: {
          operationId: "revokeUserTokens",
          summary: "Revokes tokens, by id or by token; idempotent",
          description: "Every replica refuses a revoked token within about a second.",
          tag: TAG,
          requestBody: { body: { name: "RevocationRequest", schema: RevocationRequestBody }, description: "What to revoke." },
          responses: {
            200: {
              description: "The ids revoked.",
              body: { name: "Revocation", schema: Type.Object({ revoked: Type.Array(Type.String()) }, { additionalProperties: false }) },
            },
            400: errorResponse("The body cannot be parsed, or names no valid id or token."),
            401: unauthenticatedDocs,
            403: adminDenied,
          },
        },
      },
    },
    {
      template: "/global-secrets/admin-user-token",
      handlers: {
        GET: async (ctx) => {
          ctx.state.operation = Title.retrieve;
          adminOnly(ctx);
          const secret = await auth.secrets.get(ADMIN_TOKEN_SECRET);
          if (!secret) throw new ApiError(404, Title.retrieve, "Not found");
          ctx.set("Cache-Control", "no-store");
          writeJson(ctx, 200, JSON.stringify({ type: "GlobalSecret", name: ADMIN_TOKEN_SECRET, data: secret.data }));
        },
      },
      docs: {
        GET: {
          operationId: "getAdminUserToken",
          summary: "The bootstrap admin token (base64 in `data`)",
          description: "The only GlobalSecret the API reads out: `curl localhost:5681/global-secrets/admin-user-token | jq -r .data | base64 -d`.",
          tag: TAG,
          responses: {
            200: {
              description: "The secret.",
              body: {
                name: "AdminUserTokenSecret",
                schema: Type.Object(
                  { type: Type.Literal("GlobalSecret"), name: Type.Literal(ADMIN_TOKEN_SECRET), data: Type.String() },
                  { additionalProperties: false },
                ),
              },
              headers: ["Cache-Control"],
            },
            401: unauthenticatedDocs,
            403: adminDenied,
            404: errorResponse("No admin token was bootstrapped."),
          },
        },
      },
    },
  ];
}

/** A valid `POST /tokens/user` body. */
interface TokenRequest {
  readonly name: string;
  readonly groups: string[];
  readonly validFor: string;
  readonly validForMs: number;
}

/** Checks a token request, collecting every cause (auth.md §5). */
export function parseTokenRequest(body: Record<string, unknown>, maxValidForMs: number): TokenRequest {
  const causes: Cause[] = [];
  const { name, groups = [], validFor } = body;
  if (typeof name !== "string" || name === "") causes.push({ field: "name", message: "cannot be empty" });
  if (!Array.isArray(groups) || !groups.every((group) => typeof group === "string" && group !== "")) {
    causes.push({ field: "groups", message: "must be a list of non-empty strings" });
  }
  let validForMs = 0;
  if (validFor === undefined || validFor === null || validFor === "") {
    causes.push({ field: "validFor", message: "cannot be empty" });
  } else {
    const text = typeof validFor === "string" ? validFor : JSON.stringify(validFor);
    const nanos = typeof validFor === "string" ? parseGoDuration(validFor) : undefined;
    if (nanos === undefined) {
      causes.push({ field: "validFor", message: `is invalid: time: invalid duration ${JSON.stringify(text)}` });
    } else if (nanos === 0n) {
      causes.push({ field: "validFor", message: "cannot be empty or nil" });
    } else if (nanos < 0n) {
      causes.push({ field: "validFor", message: "must be positive" });
    } else {
      validForMs = Number(nanos / 1_000_000n);
      if (maxValidForMs > 0 && validForMs > maxValidForMs) {
        causes.push({
          field: "validFor",
          message: `must not exceed ${formatGoDuration(BigInt(maxValidForMs) * 1_000_000n)}`,
        });
      }
    }
  }
  if (causes.length > 0) throw new ApiError(400, INVALID_REQUEST, "Resource is not valid", causes);
  return { name: name as string, groups: groups as string[], validFor: validFor as string, validForMs };
}

/** Go's time.ParseDuration grammar: `[-+]?(\d*(\.\d*)?unit)+` or `0`. */
function parseGoDuration(text: string): bigint | undefined {
  if (!/^[-+]?(?:0|(?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.test(text)) return undefined;
  return parseDuration(text);
}

/** The ids of a revocation request: `{"ids":[…]}` and/or `{"tokens":[…]}` (jti read without verifying). */
function parseRevocation(body: Record<string, unknown>): string[] {
  const causes: Cause[] = [];
  const { ids = [], tokens = [] } = body;
  const out: string[] = [];
  if (!Array.isArray(ids)) {
    causes.push({ field: "ids", message: "must be a list of token ids" });
  } else {
    ids.forEach((id, i) => {
      if (typeof id === "string" && TOKEN_ID.test(id)) out.push(id);
      else causes.push({ field: `ids[${i}]`, message: "is not a valid token id" });
    });
  }
  if (!Array.isArray(tokens)) {
    causes.push({ field: "tokens", message: "must be a list of tokens" });
  } else {
    tokens.forEach((token, i) => {
      let jti: unknown;
      try {
        jti = typeof token === "string" ? decodeJwt(token).jti : undefined;
      } catch {
        jti = undefined;
      }
      if (typeof jti === "string" && TOKEN_ID.test(jti)) out.push(jti);
      else causes.push({ field: `tokens[${i}]`, message: "is not a token with an id" });
    });
  }
  if (causes.length === 0 && out.length === 0) causes.push({ field: "ids", message: "cannot be empty" });
  if (causes.length > 0) throw new ApiError(400, INVALID_REQUEST, "Resource is not valid", causes);
  return [...new Set(out)];
}
