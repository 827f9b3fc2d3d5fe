import { parse as parseYaml } from "yaml";
import { decodeResourceBody } from "../codec/resource-codec.js";
import { ResourceDecodeError } from "../errors.js";
import { MeshType } from "../registry.js";
import type { Mesh } from "../resources/mesh.js";
import { DEFAULT_MESH_YAML } from "./schema.js";

/** The name of the mesh created at start-up. */
export const DEFAULT_MESH_NAME = "default";

/**
 * DEFAULT_MESH_YAML as the YAML parser reads it (a test keeps the two equal):
 * with the built-in default, start-up does not parse YAML, the parser's first
 * (cold) run being most of the cost. A new object on every call.
 */
export function builtInDefaultMeshDocument(): Record<string, unknown> {
  return { type: "Mesh", name: "default", mtls: { ca: {}, enabled: false } };
}

/**
 * The mesh `default` described by `defaults.mesh` (YAML), with the Mesh
 * defaults applied and validated. Its `name` is always `default`.
 * Throws ResourceDecodeError when the YAML does not describe a valid Mesh.
 */
export function parseDefaultMesh(yamlText: string): Mesh {
  const document =
    yamlText === DEFAULT_MESH_YAML ? builtInDefaultMeshDocument() : parseDocument(yamlText);
  const body = decodeResourceBody(MeshType, document ?? {}, { nullAsEmptyMessage: true });
  if (body.type !== undefined && body.type !== "Mesh") {
    throw new ResourceDecodeError("invalid", [{ field: "type", message: 'must be "Mesh"' }]);
  }
  const mesh = MeshType.applyDefaults({ ...body, type: "Mesh", name: DEFAULT_MESH_NAME });
  const causes = MeshType.validate(mesh);
  if (causes.length > 0) throw new ResourceDecodeError("invalid", causes);
  return mesh;
}

function parseDocument(yamlText: string): unknown {
  try {
    return parseYaml(yamlText);
  } catch (error) {
    throw new ResourceDecodeError("malformed", [{ field: "", message: (error as Error).message }]);
  }
}
