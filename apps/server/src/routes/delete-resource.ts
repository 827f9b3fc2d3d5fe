/**
 * DELETE of a resource (http-api.md §4, §6). Deleting a mesh cascades
 * atomically through the store and answers 404 when the mesh itself did not
 * exist (orphans are removed either way). `If-Match` is checked by the
 * store in the same atomic step as the delete (the cascade, for a mesh).
 */
import { MeshType, type AnyResourceType } from "@kuma-ts/model";
import { ResourceNotFoundError, VersionConflictError, type ResourceStore } from "@kuma-ts/store";
import type { Authorizer } from "../auth/authorizer.js";
import { checkAccept } from "../http/accept.js";
import { ApiError, notFound, preconditionFailed, Title } from "../http/api-error.js";
import type { Handler } from "../http/context.js";
import { ifMatchHolds, parseEntityTags } from "../http/entity-tags.js";
import { MAX_ATTEMPTS } from "./put-resource.js";
import { writeJson } from "./respond.js";
import { couldExist } from "./url-names.js";

/** The DELETE handler of one resource type. */
export function deleteHandler(type: AnyResourceType, store: ResourceStore, authorizer: Authorizer): Handler {
  return async (ctx) => {
    ctx.state.operation = Title.delete;
    const { mesh, name = "" } = ctx.params;
    // Deleting a mesh deletes what it contains with no further check (auth.md §6).
    authorizer.require(ctx, "delete", type.name, mesh ?? name, name);
    checkAccept(ctx.get("Accept"));
    const ifMatch = parseEntityTags(ctx.get("If-Match"));
    if (!couldExist(mesh, name)) throw ifMatch ? preconditionFailed(Title.delete) : notFound(Title.delete);

    if (ifMatch) {
      // Conditional in the store itself; for a Mesh the store's delete is the atomic cascade.
      await deleteIfMatch(type, store, mesh, name, (version) => ifMatchHolds(ifMatch, version));
    } else if (type === MeshType) {
      if (!(await store.deleteMesh(name))) throw notFound(Title.delete);
    } else {
      await store.delete(type, mesh, name);
    }
    writeJson(ctx, 200, "{}");
  };
}

async function deleteIfMatch(
  type: AnyResourceType,
  store: ResourceStore,
  mesh: string | undefined,
  name: string,
  matches: (version: string | undefined) => boolean,
): Promise<void> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const existing = await store.get(type, mesh, name);
    if (!existing || !matches(existing.version)) throw preconditionFailed(Title.delete);
    try {
      await store.delete(type, mesh, name, { expectVersion: existing.version });
      return;
    } catch (error) {
      if (!(error instanceof VersionConflictError || error instanceof ResourceNotFoundError)) throw error;
    }
  }
  throw new ApiError(409, Title.delete, "Conflict");
}
