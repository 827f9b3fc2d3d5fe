import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseResource } from "../codec/resource-codec.js";
import { resourceTypeByName, type ResourceType } from "../registry.js";
import { EXAMPLES_DIR } from "../test-support/examples.js";

const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".json"));

/** Validation as the server runs it: decode, apply defaults, validate. */
function causesOf(file: string) {
  const text = readFileSync(join(EXAMPLES_DIR, file), "utf8");
  const entry = resourceTypeByName((JSON.parse(text) as { type: string }).type);
  if (entry === undefined) throw new Error(`${file}: unknown resource type`);
  // Widened to the generic entry: TypeScript cannot pair schema, defaults and validator across the union.
  const type: ResourceType = entry;
  return type.validate(type.applyDefaults(parseResource(type, text)));
}

describe("validation of the reference examples", () => {
  it("covers every example", () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  for (const file of files.filter((f) => f !== "dataplane-backend-1-outbound-without-port.json")) {
    it(`finds nothing wrong with ${file}`, () => {
      expect(causesOf(file)).toEqual([]);
    });
  }

  it("rejects the outbound without a port of the reference document", () => {
    expect(causesOf("dataplane-backend-1-outbound-without-port.json")).toEqual([
      { field: "networking.outbound[0].port", message: "port has to be in range of [1, 65535]" },
    ]);
  });
});
