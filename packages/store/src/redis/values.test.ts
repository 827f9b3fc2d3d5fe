import { DataplaneType, encodeResource, MeshType } from "@kuma-ts/model";
import { describe, expect, it } from "vitest";
import { CorruptedValueError } from "../errors.js";
import { dataplane, mesh } from "../test-support/resources.js";
import { decodeRecord, encodeRecord, RecordDecoder } from "./values.js";

const where = (name: string) => ["{kuma:m}:Dataplane", name] as const;
const recordOf = (name: string, version = "7", address = "10.0.0.1"): string => {
  const resource = dataplane("m", name);
  return encodeRecord(
    version,
    encodeResource({ ...resource, networking: { ...resource.networking, address } }),
  );
};

describe("RecordDecoder", () => {
  it("decodes as decodeRecord does, and serves the same text at the same place as the same object", () => {
    const decoder = new RecordDecoder(100);
    const record = recordOf("dp-1");
    const first = decoder.decode(DataplaneType, "m", "dp-1", record, ...where("dp-1"));
    expect(first).toEqual(
      decodeRecord(DataplaneType, "m", "dp-1", record, {
        key: "{kuma:m}:Dataplane",
        field: "dp-1",
      }),
    );
    expect(Object.isFrozen(first.resource)).toBe(true);
    // A copy of the text, not the same string: equality of content is what counts.
    const again = decoder.decode(
      DataplaneType,
      "m",
      "dp-1",
      `${record} `.trimEnd(),
      ...where("dp-1"),
    );
    expect(again).toBe(first);
    expect(again.resource).toBe(first.resource);
  });

  it("decodes any other text again: a new version, a new content, a corrupted record", () => {
    const decoder = new RecordDecoder(100);
    const first = decoder.decode(DataplaneType, "m", "dp-1", recordOf("dp-1"), ...where("dp-1"));
    const newVersion = decoder.decode(
      DataplaneType,
      "m",
      "dp-1",
      recordOf("dp-1", "8"),
      ...where("dp-1"),
    );
    expect(newVersion).not.toBe(first);
    expect(newVersion.version).toBe("8");
    const newContent = decoder.decode(
      DataplaneType,
      "m",
      "dp-1",
      recordOf("dp-1", "8", "10.0.0.2"),
      ...where("dp-1"),
    );
    expect(newContent.resource.networking?.address).toBe("10.0.0.2");
    for (const garbage of [
      "8 not json",
      `8 ${encodeResource(dataplane("m", "other"))}`,
      `x${recordOf("dp-1", "8")}`,
      recordOf("dp-1", "8", "10.0.0.2").replace('"10.0.0.2"', '"10.0.0.2","bogus":1'),
    ]) {
      expect(
        () => decoder.decode(DataplaneType, "m", "dp-1", garbage, ...where("dp-1")),
        garbage,
      ).toThrow(CorruptedValueError);
    }
    // The good text is still known, and served as before.
    expect(
      decoder.decode(
        DataplaneType,
        "m",
        "dp-1",
        recordOf("dp-1", "8", "10.0.0.2"),
        ...where("dp-1"),
      ),
    ).toBe(newContent);
  });

  it("keys records by where they live: the same text elsewhere is decoded and checked there", () => {
    const decoder = new RecordDecoder(100);
    const record = recordOf("dp-1");
    decoder.decode(DataplaneType, "m", "dp-1", record, ...where("dp-1"));
    expect(() => decoder.decode(DataplaneType, "m", "dp-2", record, ...where("dp-2"))).toThrow(
      CorruptedValueError,
    );
    const meshRecord = encodeRecord("3", encodeResource(mesh("m")));
    const meshStored = decoder.decode(MeshType, undefined, "m", meshRecord, "{kuma:m}:mesh");
    expect(meshStored.resource.name).toBe("m");
    expect(() => decoder.decode(MeshType, undefined, "n", meshRecord, "{kuma:n}:mesh")).toThrow(
      CorruptedValueError,
    );
  });

  it("keeps at most its capacity, the records used last", () => {
    const decoder = new RecordDecoder(10);
    const firsts = Array.from({ length: 30 }, (_, i) =>
      decoder.decode(DataplaneType, "m", `dp-${i}`, recordOf(`dp-${i}`), ...where(`dp-${i}`)),
    );
    expect(decoder.size).toBeLessThanOrEqual(10);
    // The last five are still cached; the first ones were dropped and are decoded anew.
    for (let i = 25; i < 30; i++) {
      expect(
        decoder.decode(DataplaneType, "m", `dp-${i}`, recordOf(`dp-${i}`), ...where(`dp-${i}`)),
      ).toBe(firsts[i]);
    }
    const again = decoder.decode(DataplaneType, "m", "dp-0", recordOf("dp-0"), ...where("dp-0"));
    expect(again).not.toBe(firsts[0]);
    expect(again).toEqual(firsts[0]);
    expect(decoder.size).toBeLessThanOrEqual(10);
  });

  it("keeps a collection of half its capacity whole however often it is read", () => {
    const decoder = new RecordDecoder(10);
    const read = () =>
      Array.from({ length: 5 }, (_, i) =>
        decoder.decode(DataplaneType, "m", `dp-${i}`, recordOf(`dp-${i}`), ...where(`dp-${i}`)),
      );
    const first = read();
    for (let round = 0; round < 5; round++) {
      const items = read();
      for (const [i, item] of items.entries()) expect(item).toBe(first[i]);
    }
  });

  it("keeps nothing with capacity 0, and refuses a negative or fractional capacity", () => {
    const decoder = new RecordDecoder(0);
    const record = recordOf("dp-1");
    const first = decoder.decode(DataplaneType, "m", "dp-1", record, ...where("dp-1"));
    expect(decoder.decode(DataplaneType, "m", "dp-1", record, ...where("dp-1"))).not.toBe(first);
    expect(decoder.size).toBe(0);
    expect(() => new RecordDecoder(-1)).toThrow(RangeError);
    expect(() => new RecordDecoder(1.5)).toThrow(RangeError);
  });
});
