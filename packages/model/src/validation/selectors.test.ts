import { describe, expect, it } from "vitest";
import type { Selector } from "../resources/selector.js";
import {
  ONLY_SERVICE,
  OPTIONAL_SERVICE_REQUIRED,
  SERVICE_REQUIRED,
  TAGS_REQUIRED,
  validateSelectors,
  validateTagSelector,
} from "./selectors.js";

describe("validateSelectors", () => {
  it("requires at least one selector when the profile says so", () => {
    expect(validateSelectors("sources", undefined, SERVICE_REQUIRED)).toEqual([
      { field: "sources", message: "must have at least one element" },
    ]);
    expect(validateSelectors("sources", [], ONLY_SERVICE)).toEqual([
      { field: "sources", message: "must have at least one element" },
    ]);
  });

  it("accepts an empty list when selectors are optional", () => {
    expect(validateSelectors("selectors", undefined, OPTIONAL_SERVICE_REQUIRED)).toEqual([]);
  });

  it("reports an empty match as missing tags and a missing service", () => {
    expect(validateSelectors("sources", [{}], SERVICE_REQUIRED)).toEqual([
      { field: "sources[0].match", message: "must have at least one tag" },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("gives the two documented causes for an empty match under the only-service profile", () => {
    expect(validateSelectors("sources", [{}], ONLY_SERVICE)).toEqual([
      { field: "sources[0].match", message: 'must consist of exactly one tag "service"' },
      { field: "sources[0].match", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("indexes each selector in the paths", () => {
    const selectors: Selector[] = [{ match: { service: "web" } }, { match: { region: "eu" } }];
    expect(validateSelectors("destinations", selectors, ONLY_SERVICE)).toEqual([
      { field: "destinations[1].match", message: 'must consist of exactly one tag "service"' },
      { field: 'destinations[1].match["region"]', message: 'tag "region" is not allowed' },
      { field: "destinations[1].match", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("accepts * as a value everywhere", () => {
    expect(validateSelectors("sources", [{ match: { service: "*", version: "*" } }], SERVICE_REQUIRED)).toEqual([]);
    expect(validateSelectors("destinations", [{ match: { service: "*" } }], ONLY_SERVICE)).toEqual([]);
  });
});

describe("validateTagSelector", () => {
  it("reports the tags of a match in code-point order", () => {
    const match = { zone: "", service: "", Region: "", "ä": "" };
    expect(validateTagSelector("m", match, SERVICE_REQUIRED)).toEqual([
      { field: 'm["Region"]', message: "tag value must be non-empty" },
      { field: 'm["service"]', message: "tag value must be non-empty" },
      { field: 'm["zone"]', message: "tag value must be non-empty" },
      { field: 'm["ä"]', message: "tag value must be non-empty" },
    ]);
  });

  it("reports an empty key on the match itself and an empty value on the key", () => {
    expect(validateTagSelector("m", { "": "" , service: "web" }, SERVICE_REQUIRED)).toEqual([
      { field: "m", message: "tag key must be non-empty" },
      { field: 'm[""]', message: "tag value must be non-empty" },
    ]);
  });

  it("applies every only-service rule per key, in the documented order", () => {
    expect(validateTagSelector("m", { "": "x", service: "", version: "" }, ONLY_SERVICE)).toEqual([
      { field: "m", message: 'must consist of exactly one tag "service"' },
      { field: "m", message: "tag key must be non-empty" },
      { field: 'm[""]', message: 'tag "" is not allowed' },
      { field: 'm["service"]', message: "tag value must be non-empty" },
      { field: 'm["version"]', message: 'tag "version" is not allowed' },
      { field: 'm["version"]', message: "tag value must be non-empty" },
    ]);
  });

  it("quotes unusual keys as JSON in paths and as Go in messages", () => {
    expect(validateTagSelector("m", { service: "web", 'a"\u0001': "v" }, ONLY_SERVICE)).toEqual([
      { field: "m", message: 'must consist of exactly one tag "service"' },
      { field: 'm["a\\"\\u0001"]', message: 'tag "a\\"\\x01" is not allowed' },
    ]);
  });

  it("does not take inherited names such as constructor for tags", () => {
    expect(validateTagSelector("m", { constructor: "x" }, SERVICE_REQUIRED)).toEqual([
      { field: "m", message: 'mandatory tag "service" is missing' },
    ]);
  });

  it("does not require service when the profile does not", () => {
    expect(validateTagSelector("m", { region: "eu" }, TAGS_REQUIRED)).toEqual([]);
    expect(validateTagSelector("m", undefined, TAGS_REQUIRED)).toEqual([
      { field: "m", message: "must have at least one tag" },
    ]);
  });
});
