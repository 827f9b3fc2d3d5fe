import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPageSize, decodeCursor, encodeCursor } from "./cursor.js";
import { InvalidCursorError } from "./errors.js";

describe("the list cursor", () => {
  it("gives back the name it was made from", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-z_-]{1,253}$/), (name) => {
        expect(decodeCursor(encodeCursor(name))).toBe(name);
      }),
    );
  });

  it("is URL-safe and does not show the name as it is", () => {
    const cursor = encodeCursor("backend-1");
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain("backend");
  });

  it("rejects any string it did not produce", () => {
    fc.assert(
      fc.property(fc.string(), (offset) => {
        let decoded: string | undefined;
        try {
          decoded = decodeCursor(offset);
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidCursorError);
          return;
        }
        expect(encodeCursor(decoded)).toBe(offset);
      }),
    );
    for (const offset of [
      "",
      "=",
      encodeCursor("a") + "=",
      encodeCursor("UPPER"),
      encodeCursor("a".repeat(254)),
    ]) {
      expect(() => decodeCursor(offset), offset).toThrow(InvalidCursorError);
    }
  });

  it("accepts positive integer page sizes or none", () => {
    expect(checkPageSize(undefined)).toBeUndefined();
    expect(checkPageSize(1)).toBe(1);
    for (const size of [0, -1, 1.5, Number.NaN, Infinity])
      expect(() => checkPageSize(size)).toThrow(RangeError);
  });
});
