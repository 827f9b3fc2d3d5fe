/** The table columns of `kumactl get` per resource type (kumactl.md §3). */
import type { Dataplane, Mesh, Resource, ResourceType } from "@kuma-ts/model";
import { renderTags } from "./tags.js";

/** Headers and how one resource becomes a row. */
export interface ResourceTable {
  readonly headers: readonly string[];
  row(resource: Resource): string[];
}

const meshTable: ResourceTable = {
  headers: ["NAME", "mTLS", "CA", "METRICS"],
  row(resource) {
    const mesh = resource as Mesh;
    const ca = mesh.mtls?.ca;
    return [
      mesh.name,
      mesh.mtls?.enabled ? "on" : "off",
      ca?.builtin ? "builtin" : ca?.provided ? "provided" : "unknown",
      mesh.metrics?.prometheus ? "prometheus" : "off",
    ];
  },
};

const dataplaneTable: ResourceTable = {
  headers: ["MESH", "NAME", "TAGS"],
  row(resource) {
    const dataplane = resource as Dataplane;
    return [dataplane.mesh, dataplane.name, renderTags(dataplane)];
  },
};

const policyTable: ResourceTable = {
  headers: ["MESH", "NAME"],
  row(resource) {
    return ["mesh" in resource ? resource.mesh : "", resource.name];
  },
};

/** The table of a resource type: Mesh and Dataplane have their own, every other type MESH NAME. */
export function tableFor(type: ResourceType): ResourceTable {
  if (type.name === "Mesh") return meshTable;
  if (type.name === "Dataplane") return dataplaneTable;
  return policyTable;
}
