import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodeResource, parseResource, resourceTypeByName, toWire, type Resource } from "../index.js";
import { EXAMPLES_DIR } from "../test-support/examples.js";

const files = readdirSync(EXAMPLES_DIR).filter((f) => f.endsWith(".json"));

describe("the reference examples", () => {
  it("are all present", () => {
    expect(files.length).toBeGreaterThanOrEqual(11);
  });

  for (const file of files) {
    it(`${file} round-trips through the codec unchanged`, () => {
      const text = readFileSync(join(EXAMPLES_DIR, file), "utf8");
      const original = JSON.parse(text) as { type: string };
      const type = resourceTypeByName(original.type);
      expect(type).toBeDefined();
      const resource = parseResource(type!, text);
      expect(toWire(resource as Resource)).toEqual(original);
      expect(JSON.parse(encodeResource(resource as Resource))).toEqual(original);
    });
  }
});
