import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { builtInDefaultMeshDocument, parseDefaultMesh } from "./default-mesh.js";
import { DEFAULT_MESH_YAML } from "./schema.js";

describe("the default mesh", () => {
  it("built in is what the YAML parser reads from DEFAULT_MESH_YAML", () => {
    expect(builtInDefaultMeshDocument()).toStrictEqual(parseYaml(DEFAULT_MESH_YAML));
  });

  it("built in is the mesh that the same YAML, parsed, describes", () => {
    // A different text (a trailing comment) for the same document takes the parser's path.
    expect(parseDefaultMesh(DEFAULT_MESH_YAML)).toStrictEqual(
      parseDefaultMesh(`${DEFAULT_MESH_YAML}# same\n`),
    );
  });

  it("built in is a new document every time, nothing shared", () => {
    const first = builtInDefaultMeshDocument();
    const second = builtInDefaultMeshDocument();
    expect(second).not.toBe(first);
    expect(second.mtls).not.toBe(first.mtls);
    expect((second.mtls as { ca: unknown }).ca).not.toBe((first.mtls as { ca: unknown }).ca);
  });

  it("rejects malformed and invalid YAML with the parser's and the validator's messages", () => {
    expect(() => parseDefaultMesh("mtls: [")).toThrow(
      /^Flow sequence in block collection must be sufficiently indented/,
    );
    expect(() => parseDefaultMesh("type: Dataplane\n")).toThrow('type: must be "Mesh"');
  });
});
