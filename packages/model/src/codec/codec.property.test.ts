import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ResourceDecodeError,
  encodeResource,
  encodeStampedResource,
  parseResource,
  parseResourceBody,
  resourceTypes,
  toWire,
  type Resource,
  type ResourceType,
} from "../index.js";
import { hostileBodyArbitrary, resourceArbitrary } from "../test-support/arbitraries.js";

/** Runs `fn`; any throw other than the codec's own typed error fails the property. */
function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ResourceDecodeError)) throw error;
    expect(error.causes.length).toBeGreaterThan(0);
    for (const cause of error.causes) {
      expect(typeof cause.field).toBe("string");
      expect(typeof cause.message).toBe("string");
    }
  }
}

describe.each(resourceTypes.map((t) => [t.name, t] as const))("the codec of %s", (_name, type) => {
  it("serialise∘parse is the identity on valid resources", () => {
    fc.assert(
      fc.property(resourceArbitrary(type as ResourceType), (resource) => {
        const text = encodeResource(resource as Resource);
        const parsed = parseResource(type as ResourceType, text);
        expect(parsed).toEqual(resource);
        expect(encodeResource(parsed as Resource)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it("writes the wire object as text, also with a store's timestamps in place of its own", () => {
    fc.assert(
      fc.property(resourceArbitrary(type as ResourceType), fc.string(), (resource, time) => {
        // Equal as values: the text also keeps integer-like map keys in code-point order, which an object cannot.
        expect(JSON.parse(encodeResource(resource as Resource))).toEqual(toWire(resource as Resource));
        expect(JSON.parse(encodeStampedResource(resource as Resource, time, `${time}Z`))).toEqual(
          toWire({ ...(resource as Resource), creationTime: time, modificationTime: `${time}Z` }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("throws nothing but its typed error on arbitrary JSON and arbitrary text", () => {
    fc.assert(
      fc.property(hostileBodyArbitrary(type as ResourceType), (body) => {
        onlyTypedErrors(() => parseResourceBody(type as ResourceType, JSON.stringify(body) ?? "undefined"));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        onlyTypedErrors(() => parseResourceBody(type as ResourceType, text));
      }),
      { numRuns: 200 },
    );
  });

  it("validation never throws on whatever the codec accepts", () => {
    fc.assert(
      fc.property(hostileBodyArbitrary(type as ResourceType), (body) => {
        let decoded: Record<string, unknown>;
        try {
          decoded = parseResourceBody(type as ResourceType, JSON.stringify(body) ?? "null") as Record<string, unknown>;
        } catch (error) {
          if (error instanceof ResourceDecodeError) return;
          throw error;
        }
        const resource = type.applyDefaults({ ...decoded, type: type.name, name: "n", mesh: "m" } as never);
        const causes = type.validate(resource as never);
        expect(Array.isArray(causes)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
