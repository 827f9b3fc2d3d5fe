import { parse as parseYaml } from "yaml";
import { decodeResourceBody } from "../codec/resource-codec.js";
import { ResourceDecodeError } from "../errors.js";
import { MeshType } from "../registry.js";
import type { Mesh } from "../resources/mesh.js";

/** The name of the mesh created at start-up. */
export const DEFAULT_MESH_NAME = "default";

/**
 * The mesh `default` described by `defaults.mesh` (YAML), with the Mesh
 * defaults applied and validated. Its `name` is always `default`.
 * Throws ResourceDecodeError when the YAML does not describe a valid Mesh.
 */
export function parseDefaultMesh(yamlText: string): Mesh {
  let document: unknown;
  try {
    document = parseYaml(yamlText);
  } catch (error) {
    throw new ResourceDecodeError("malformed", [{ field: "", message: (error as Error).message }]);
  }
  const body = decodeResourceBody(MeshType, document ?? {}, { nullAsEmptyMessage: true });
  if (body.type !== undefined && body.type !== "Mesh") {
    throw new ResourceDecodeError("invalid", [{ field: "type", message: 'must be "Mesh"' }]);
  }
  const mesh = MeshType.applyDefaults({ ...body, type: "Mesh", name: DEFAULT_MESH_NAME });
  const causes = MeshType.validate(mesh);
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return mesh;
}
