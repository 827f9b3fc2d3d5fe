/**
 * PUT of a resource (http-api.md §3 check order, §6).
 *
 * (0) route, method, read-only, Content-Type and size are checked before;
 * (1) parse the body; (2) URL/body consistency and URL names, all causes
 * together; then (3)–(4), create or update, in one of two ways:
 * - without If-Match / If-None-Match, "make it so": the body is validated
 *   (Mesh defaults first) and the store's put creates or replaces it in one
 *   atomic step, so other writers never make it fail. The stored resource
 *   is read only when the spec is invalid, because the title of that error
 *   says whether the resource exists;
 * - with them, compare-and-set: read the stored resource, evaluate the
 *   preconditions (412), validate, then create, or update on condition of
 *   the version read. A write that loses a race with another writer is
 *   retried from the read, at most MAX_ATTEMPTS times, then answers 409.
 */
import {
  INVALID_NAME_MESSAGE,
  isValidName,
  parseResourceBody,
  type AnyResourceType,
  type Cause,
  type Resource,
  type ResourceType,
} from "@kuma-ts/model";
import {
  ResourceAlreadyExistsError,
  ResourceNotFoundError,
  VersionConflictError,
  type ResourceStore,
} from "@kuma-ts/store";
import type { Authorizer } from "../auth/authorizer.js";
import { checkAccept } from "../http/accept.js";
import { ApiError, invalidResource, preconditionFailed, Title } from "../http/api-error.js";
import type { ApiContext, Handler } from "../http/context.js";
import {
  etagOf,
  ifMatchHolds,
  ifNoneMatchHolds,
  parseEntityTags,
  type EntityTagCondition,
} from "../http/entity-tags.js";
import { isJsonContentType, readBodyText } from "../http/request-body.js";
import { writeJson } from "./respond.js";

/** How many times a conditional write re-reads and retries after losing a race before answering 409. */
export const MAX_ATTEMPTS = 10;

/** The PUT handler of one resource type. */
export function putHandler(
  type: AnyResourceType,
  options: { readonly store: ResourceStore; readonly maxRequestBodyBytes: number; readonly authorizer: Authorizer },
): Handler {
  const { store, maxRequestBodyBytes, authorizer } = options;
  // The registry entry with its resource type erased: the handler only passes values along.
  const entry = type as unknown as ResourceType;
  return async (ctx) => {
    ctx.state.operation = Title.process;
    const name = ctx.params.name ?? "";
    const mesh = type.scope === "global" ? name : (ctx.params.mesh ?? "");
    const storeMesh = type.scope === "mesh" ? mesh : undefined;
    const allowed = await allowedWrite(ctx, authorizer, store, { type, mesh, storeMesh, name });
    checkAccept(ctx.get("Accept"));
    if (!isJsonContentType(ctx.get("Content-Type"))) {
      throw new ApiError(415, Title.process, "Unsupported Media Type");
    }
    const text = await readBodyText(ctx.req, ctx.res, maxRequestBodyBytes);
    const body = parseResourceBody(type, text);

    const urlCauses = checkUrlAgainstBody(type, { mesh, name }, body);
    if (urlCauses.length > 0) throw invalidResource(Title.process, urlCauses);

    // The body's type, name and mesh are now those of the URL, and the decoded body is this
    // request's own: it is the resource as it is. Timestamps in a body are accepted and ignored
    // (the store sets them); only a body that has them is copied without them.
    const resource = entry.applyDefaults(withoutTimestamps(body as Record<string, unknown>)) as Resource;
    const violations = entry.validate(resource);

    const ifMatch = parseEntityTags(ctx.get("If-Match"));
    const ifNoneMatch = parseEntityTags(ctx.get("If-None-Match"));
    if (ifMatch || ifNoneMatch) {
      await putIfPreconditionsHold(
        ctx,
        store,
        resource,
        { type, mesh: storeMesh, name },
        { ifMatch, ifNoneMatch, violations },
        (exists) => {
          if (allowed === "create" && exists) throw authorizer.deny(ctx, "update", type.name, mesh);
          if (allowed === "update" && !exists) throw authorizer.deny(ctx, "create", type.name, mesh);
        },
      );
      return;
    }
    if (violations.length > 0) {
      const existing = await store.get(type, storeMesh, name);
      throw invalidResource(existing ? Title.update : Title.create, violations);
    }
    if (allowed === "create") {
      ctx.state.operation = Title.create;
      respondWritten(ctx, (await store.create(resource)).version, true);
    } else if (allowed === "update") {
      ctx.state.operation = Title.update;
      respondWritten(ctx, (await store.update(resource)).version, false);
    } else {
      const { stored, created } = await store.put(resource);
      respondWritten(ctx, stored.version, created);
    }
  };
}

/**
 * The PUT rule (auth.md §6): a PUT creates or updates depending on
 * existence. Neither verb allowed: 403 naming `create` before any store
 * read, so there is no existence oracle. Exactly one allowed: look the
 * resource up and refuse the path that needs the other; the write is then
 * restricted to the allowed one, so a race cannot turn it into the other.
 */
async function allowedWrite(
  ctx: ApiContext,
  authorizer: Authorizer,
  store: ResourceStore,
  at: { readonly type: AnyResourceType; readonly mesh: string; readonly storeMesh: string | undefined; readonly name: string },
): Promise<"any" | "create" | "update"> {
  const typeName = at.type.name;
  ctx.state.access = { verb: "create", type: typeName, mesh: at.mesh, name: at.name };
  const canCreate = authorizer.can(ctx, "create", typeName, at.mesh);
  const canUpdate = authorizer.can(ctx, "update", typeName, at.mesh);
  if (canCreate && canUpdate) return "any";
  if (!canCreate && !canUpdate) throw authorizer.deny(ctx, "create", typeName, at.mesh);
  const exists =
    isValidName(at.name) && isValidName(at.mesh) && (await store.get(at.type, at.storeMesh, at.name)) !== undefined;
  ctx.state.access = { verb: exists ? "update" : "create", type: typeName, mesh: at.mesh, name: at.name };
  if (exists && !canUpdate) throw authorizer.deny(ctx, "update", typeName, at.mesh);
  if (!exists && !canCreate) throw authorizer.deny(ctx, "create", typeName, at.mesh);
  return exists ? "update" : "create";
}

/** What a conditional PUT checks against the stored resource. */
interface Conditions {
  readonly ifMatch: EntityTagCondition | undefined;
  readonly ifNoneMatch: EntityTagCondition | undefined;
  readonly violations: readonly Cause[];
}

/** The compare-and-set path of a PUT with If-Match / If-None-Match. */
async function putIfPreconditionsHold(
  ctx: ApiContext,
  store: ResourceStore,
  resource: Resource,
  at: { readonly type: AnyResourceType; readonly mesh: string | undefined; readonly name: string },
  { ifMatch, ifNoneMatch, violations }: Conditions,
  checkAllowed: (exists: boolean) => void,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await store.get(at.type, at.mesh, at.name);
    checkAllowed(existing !== undefined);
    const title = existing ? Title.update : Title.create;
    ctx.state.operation = title;
    if (ifMatch && !ifMatchHolds(ifMatch, existing?.version)) throw preconditionFailed(title);
    if (ifNoneMatch && !ifNoneMatchHolds(ifNoneMatch, existing?.version)) throw preconditionFailed(title);
    if (violations.length > 0) throw invalidResource(title, violations);
    try {
      const stored = existing
        ? await store.update(resource, { expectVersion: existing.version })
        : await store.create(resource);
      respondWritten(ctx, stored.version, !existing);
      return;
    } catch (error) {
      if (!lostRace(error)) throw error;
    }
  }
  throw new ApiError(409, ctx.state.operation, "Conflict");
}

/** 201 for a creation, 200 for a replacement, with body `{}` and the new version's ETag. */
function respondWritten(ctx: ApiContext, version: string, created: boolean): void {
  ctx.set("ETag", etagOf(version));
  writeJson(ctx, created ? 201 : 200, "{}");
}

/** Another writer got there between the read and the write: read again and retry. */
const lostRace = (error: unknown): boolean =>
  error instanceof ResourceAlreadyExistsError ||
  error instanceof VersionConflictError ||
  error instanceof ResourceNotFoundError;

/**
 * Step (2): the body's meta against the URL, then the URL's names — in the
 * order name, type, mesh, URL name, URL mesh. A Mesh's URL name is also its
 * mesh, so a bad one yields both a `name` and a `mesh` cause.
 */
function checkUrlAgainstBody(
  type: AnyResourceType,
  url: { readonly mesh: string; readonly name: string },
  body: { readonly type?: string; readonly name?: string; readonly mesh?: string },
): Cause[] {
  const causes: Cause[] = [];
  if (body.name !== url.name) causes.push({ field: "name", message: "name from the URL has to be the same as in body" });
  if (body.type !== type.name) causes.push({ field: "type", message: "type from the URL has to be the same as in body" });
  if (type.scope === "mesh" && body.mesh !== url.mesh) {
    causes.push({ field: "mesh", message: "mesh from the URL has to be the same as in body" });
  }
  if (!isValidName(url.name)) causes.push({ field: "name", message: INVALID_NAME_MESSAGE });
  if (!isValidName(url.mesh)) causes.push({ field: "mesh", message: INVALID_NAME_MESSAGE });
  return causes;
}

/** A decoded body without `creationTime` and `modificationTime`: itself when it has neither. */
function withoutTimestamps(body: Record<string, unknown>): Record<string, unknown> {
  if (body.creationTime === undefined && body.modificationTime === undefined) return body;
  const { creationTime: _created, modificationTime: _modified, ...rest } = body;
  return rest;
}
