import { describe, expect, it } from "vitest";
import {
  bestMatchingRank,
  compareRanks,
  decisionOrder,
  rankOf,
  selectorMatches,
  type Rank,
  type Tags,
} from "./selectors.js";

describe("R2: a selector matches a tag map", () => {
  const cases: [string, Tags, Tags, boolean][] = [
    ["{} matches anything", {}, { service: "web", version: "v1" }, true],
    ["{} matches an empty tag map", {}, {}, true],
    [
      "an exact value matches the same value",
      { service: "web" },
      { service: "web", version: "v1" },
      true,
    ],
    ["values are case-sensitive", { service: "web" }, { service: "Web" }, false],
    ["every key must be present", { service: "web", version: "v1" }, { service: "web" }, false],
    [
      "every key must match",
      { service: "web", version: "v1" },
      { service: "web", version: "v2" },
      false,
    ],
    ["* matches any value of a present key", { service: "*" }, { service: "anything" }, true],
    ["* does not match a missing key", { version: "*" }, { service: "web" }, false],
    ["* counts only as a whole value", { service: "web*" }, { service: "web-1" }, false],
    ["a * in the tags is just a value", { service: "web" }, { service: "*" }, false],
    ["keys are exact strings", { Service: "web" }, { service: "web" }, false],
    ["an inherited name is no tag", { constructor: "*" }, { service: "web" }, false],
  ];
  it.each(cases)("%s", (_, selector, tags, expected) => {
    expect(selectorMatches(selector, tags)).toBe(expected);
  });
});

describe("R3: a selector matches a dataplane through one tag map on its own", () => {
  const twoInbounds: Tags[] = [{ service: "web" }, { version: "v1" }];
  const cases: [string, Tags[], Tags[], Rank | undefined][] = [
    [
      "tags are never pooled across inbounds",
      [{ service: "web", version: "v1" }],
      twoInbounds,
      undefined,
    ],
    ["one inbound is enough", [{ version: "v1" }], twoInbounds, { exact: 1, wildcard: 0 }],
    [
      "the best matching selector counts",
      [{ service: "*" }, { service: "web" }],
      twoInbounds,
      { exact: 1, wildcard: 0 },
    ],
    [
      "a gateway's tags match like an inbound's",
      [{ service: "gateway" }],
      [{ service: "gateway" }],
      { exact: 1, wildcard: 0 },
    ],
    ["no tag map, no match", [{}], [], undefined],
    ["no selectors, no match", [], twoInbounds, undefined],
  ];
  it.each(cases)("%s", (_, selectors, tagSets, expected) => {
    expect(bestMatchingRank(selectors, tagSets)).toEqual(expected);
  });
});

describe("R4: rank", () => {
  it.each<[Tags, Rank]>([
    [{}, { exact: 0, wildcard: 0 }],
    [{ service: "web" }, { exact: 1, wildcard: 0 }],
    [{ service: "*" }, { exact: 0, wildcard: 1 }],
    [
      { service: "web", version: "*", env: "prod" },
      { exact: 2, wildcard: 1 },
    ],
  ])("rank of %j is %j", (selector, rank) => {
    expect(rankOf(selector)).toEqual(rank);
  });

  const higher: [Rank, Rank][] = [
    [
      { exact: 2, wildcard: 0 },
      { exact: 1, wildcard: 1 },
    ],
    [
      { exact: 0, wildcard: 2 },
      { exact: 1, wildcard: 0 },
    ],
    [
      { exact: 1, wildcard: 0 },
      { exact: 0, wildcard: 1 },
    ],
    [
      { exact: 0, wildcard: 1 },
      { exact: 0, wildcard: 0 },
    ],
  ];
  it.each(higher)("%j ranks above %j (totals first, then exact counts)", (a, b) => {
    expect(compareRanks(a, b)).toBeGreaterThan(0);
    expect(compareRanks(b, a)).toBeLessThan(0);
  });

  it("equal ranks compare equal", () => {
    expect(compareRanks({ exact: 1, wildcard: 1 }, { exact: 1, wildcard: 1 })).toBe(0);
  });
});

describe("R5: decision order", () => {
  const ranked = (name: string, exact: number, wildcard = 0) => ({
    name,
    rank: { exact, wildcard },
  });

  it("puts the highest rank first", () => {
    const sorted = [ranked("a", 1), ranked("z", 2)].sort(decisionOrder);
    expect(sorted.map((c) => c.name)).toEqual(["z", "a"]);
  });

  it("breaks ties by the lowest name, byte-wise", () => {
    const names = ["tr-b", "tr_a", "tr-a", "tr-9", "tr-10"];
    const sorted = names.map((name) => ranked(name, 1)).sort(decisionOrder);
    expect(sorted.map((c) => c.name)).toEqual(["tr-10", "tr-9", "tr-a", "tr-b", "tr_a"]);
  });
});
