/**
 * The mesh `default` at start-up (http-api.md §4): created from
 * `defaults.mesh` unless `defaults.skipMeshCreation`, also in read-only mode.
 * Several replicas may start together: losing the creation race is success.
 */
import { DEFAULT_MESH_NAME, MeshType, parseDefaultMesh, type ServerConfig } from "@kuma-ts/model";
import { ResourceAlreadyExistsError, type ResourceStore } from "@kuma-ts/store";

/** Creates the default mesh if it does not exist. Throws the store's errors (e.g. unavailable). */
export async function ensureDefaultMesh(store: ResourceStore, defaults: ServerConfig["defaults"]): Promise<void> {
  if (defaults.skipMeshCreation) return;
  if (await store.get(MeshType, undefined, DEFAULT_MESH_NAME)) return;
  try {
    await store.create(parseDefaultMesh(defaults.mesh));
  } catch (error) {
    if (!(error instanceof ResourceAlreadyExistsError)) throw error;
  }
}
