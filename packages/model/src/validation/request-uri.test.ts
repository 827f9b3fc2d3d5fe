import { describe, expect, it } from "vitest";
import { parseRequestUri, portOf } from "./request-uri.js";

const port = (url: string) => {
  const uri = parseRequestUri(url);
  return uri === undefined ? undefined : portOf(uri);
};

describe("parseRequestUri", () => {
  it("finds the explicit port of absolute URLs", () => {
    expect(port("http://zipkin.local:9411/v2/spans")).toBe("9411");
    expect(port("https://user:pw@zipkin.local:9411")).toBe("9411");
    expect(port("http://[::1]:9411/api?x=1")).toBe("9411");
  });

  it("accepts URLs without a port, reporting none", () => {
    expect(port("http://zipkin-us.local/v2/spans")).toBe("");
    expect(port("http://[::1]/v2/spans")).toBe("");
    expect(port("http://zipkin:/v2")).toBe("");
    expect(port("/v2/spans")).toBe("");
    expect(port("zipkin:9411")).toBe(""); // a scheme `zipkin` with an opaque part, as in Go
  });

  it.each([
    ["a relative reference", "invalid-url"],
    ["a scheme that starts with a digit", "1http://zipkin:9411/"],
    ["a missing scheme before the colon", ":9411/api"],
    ["a control character", "http://zipkin:9411/\n"],
    ["a non-numeric port", "http://zipkin:port/"],
    ["a space in the host", "http://zip kin:9411/"],
    ["an unterminated IPv6 literal", "http://[::1:9411/"],
    ["a broken escape in the path", "http://zipkin:9411/%zz"],
    ["an escaped ASCII character in the host", "http://zip%41kin:9411/"],
    ["an invalid user", "http://us er@zipkin:9411/"],
  ])("rejects %s", (_, url) => {
    expect(parseRequestUri(url)).toBeUndefined();
  });
});
