import { describe, expect, it } from "vitest";
import { admitsJson } from "./accept.js";
import { ifMatchHolds, ifNoneMatchHolds, parseEntityTags } from "./entity-tags.js";
import { originMatcher } from "./cors.js";
import { createRouting, editDistance } from "./routing.js";

describe("the route table", () => {
  const routing = createRouting([
    { template: "/meshes", handlers: { GET: () => {} } },
    { template: "/meshes/{mesh}/dataplanes+insights", handlers: { GET: () => {} } },
    { template: "/meshes/{mesh}/dataplane-insights/{name}", handlers: { GET: () => {}, PUT: () => {}, DELETE: () => {} } },
  ]);

  it("knows the methods of a path, ignoring a trailing slash and case-sensitive", () => {
    expect(routing.methodsOf("/meshes/")).toEqual(["GET", "HEAD"]);
    expect(routing.methodsOf("/meshes/m/dataplane-insights/x")).toEqual(["GET", "HEAD", "PUT", "DELETE"]);
    expect(routing.methodsOf("/Meshes")).toEqual([]);
  });

  it("suggests the path one typo away, preferring a left-out letter over a wrong one", () => {
    expect(routing.suggest("/meshes/m/dataplane+insights")).toBe("/meshes/m/dataplanes+insights");
    expect(routing.suggest("/mesh")).toBe("/meshes");
    expect(routing.suggest("/meshes/m/something")).toBeUndefined();
    expect(routing.suggest("/meshes//dataplanes+insights")).toBeUndefined();
  });

  it("measures edits", () => {
    expect(editDistance("trafficpermissions", "traffic-permissions")).toBe(1);
    expect(editDistance("mesehs", "meshes")).toBe(1);
    expect(editDistance("a+b", "a-b")).toBe(1.5);
    expect(editDistance("abc", "abcdef")).toBe(3);
  });
});

describe("content negotiation", () => {
  it.each([
    [undefined, true],
    ["", true],
    ["application/json", true],
    ["*/*;q=0.1", true],
    ["text/plain, application/*", true],
    ["text/html", false],
    ["application/json;q=0", false],
    ["application/xml, text/*", false],
  ])("Accept %s admits JSON: %s", (accept, admitted) => {
    expect(admitsJson(accept)).toBe(admitted);
  });
});

describe("entity tags", () => {
  it("parses lists, stars and weak tags", () => {
    expect(parseEntityTags(undefined)).toBeUndefined();
    expect(parseEntityTags(" * ")).toEqual({ any: true, tags: [] });
    expect(parseEntityTags('"1", W/"2", junk')).toEqual({
      any: false,
      tags: [
        { opaque: "1", weak: false },
        { opaque: "2", weak: true },
      ],
    });
  });

  it("compares strongly for If-Match and weakly for If-None-Match", () => {
    const condition = parseEntityTags('W/"7"')!;
    expect(ifMatchHolds(condition, "7")).toBe(false);
    expect(ifNoneMatchHolds(condition, "7")).toBe(false);
    expect(ifMatchHolds(parseEntityTags("*")!, undefined)).toBe(false);
    expect(ifNoneMatchHolds(parseEntityTags("*")!, undefined)).toBe(true);
  });
});

describe("CORS origins", () => {
  it("match an entry exactly or as a whole-string regular expression", () => {
    const allowed = originMatcher(["http://a.example", "https://.*\\.b\\.example"]);
    expect(allowed("http://a.example")).toBe(true);
    expect(allowed("https://x.b.example")).toBe(true);
    expect(allowed("https://x.b.example.evil")).toBe(false);
    expect(allowed("http://a.example:1")).toBe(false);
  });
});
