/** The meshes and dataplanes of the inspection worked examples (examples/inspection/demo.json), PUT through the API. */
import { readFileSync } from "node:fs";
import { resourceTypeByName } from "@kuma-ts/model";
import { EXAMPLES_DIR } from "./examples.js";
import type { TestApi } from "./api.js";

/** A resource body with its meta fields. */
export interface Body {
  readonly type: string;
  readonly name: string;
  readonly mesh?: string;
  readonly [field: string]: unknown;
}

/** The fixture, in creation order. */
export const DEMO: readonly Body[] = JSON.parse(
  readFileSync(`${EXAMPLES_DIR}inspection/demo.json`, "utf8"),
) as Body[];

/** Where a body is PUT. */
export function urlOf(body: Body): string {
  if (body.type === "Mesh") return `/meshes/${body.name}`;
  const type = resourceTypeByName(body.type);
  if (!type) throw new Error(`unknown type ${body.type}`);
  return `/meshes/${body.mesh}/${type.path}/${body.name}`;
}

/** PUTs every body in order; fails on anything but 200/201. */
export async function putAll(api: TestApi, bodies: readonly Body[]): Promise<void> {
  for (const body of bodies) {
    const answer = await api.put(urlOf(body), body);
    if (answer.status !== 201 && answer.status !== 200) {
      throw new Error(`PUT ${urlOf(body)}: ${answer.status} ${answer.text}`);
    }
  }
}
