import { Type, type TLiteral, type TObject, type TOptional, type TProperties, type TString } from "@sinclair/typebox";
import { Timestamp } from "../proto.js";

/** Meta fields of a mesh-scoped resource, in wire order. */
type MeshScopedMeta<T extends string> = {
  type: TLiteral<T>;
  mesh: TString;
  name: TString;
  creationTime: TOptional<TString>;
  modificationTime: TOptional<TString>;
};

/** Meta fields of a global resource (a Mesh), in wire order. */
type GlobalMeta<T extends string> = Omit<MeshScopedMeta<T>, "mesh">;

/** The meta field names that every resource body may carry. */
export const META_FIELDS = ["type", "mesh", "name", "creationTime", "modificationTime"] as const;

/** A flat wire resource: meta first, then the spec's fields (all optional, proto3). */
export const meshScopedResource = <T extends string, P extends TProperties>(
  type: T,
  spec: TObject<P>,
): TObject<MeshScopedMeta<T> & P> =>
  Type.Object(
    {
      type: Type.Literal(type),
      mesh: Type.String(),
      name: Type.String(),
      creationTime: Type.Optional(Timestamp()),
      modificationTime: Type.Optional(Timestamp()),
      ...spec.properties,
    },
    { additionalProperties: false, $id: type },
  ) as TObject<MeshScopedMeta<T> & P>;

/** A flat wire resource without a `mesh` field (the Mesh itself). */
export const globalResource = <T extends string, P extends TProperties>(
  type: T,
  spec: TObject<P>,
): TObject<GlobalMeta<T> & P> =>
  Type.Object(
    {
      type: Type.Literal(type),
      name: Type.String(),
      creationTime: Type.Optional(Timestamp()),
      modificationTime: Type.Optional(Timestamp()),
      ...spec.properties,
    },
    { additionalProperties: false, $id: type },
  ) as TObject<GlobalMeta<T> & P>;
