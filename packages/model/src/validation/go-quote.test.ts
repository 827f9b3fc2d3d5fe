import { describe, expect, it } from "vitest";
import { goQuote, utf8Length } from "./go-quote.js";

describe("goQuote", () => {
  it("quotes plain text like JSON does", () => {
    expect(goQuote("%sent_bytes%")).toBe('"%sent_bytes%"');
    expect(goQuote('a"b\\c')).toBe('"a\\"b\\\\c"');
  });

  it("uses Go's short escapes for common control characters", () => {
    expect(goQuote("\x07\b\f\n\r\t\v")).toBe('"\\a\\b\\f\\n\\r\\t\\v"');
  });

  it("uses \\x for other ASCII control characters, where JSON would use \\u", () => {
    expect(goQuote("\x00\x1f\x7f")).toBe('"\\x00\\x1f\\x7f"');
  });

  it("keeps printable non-ASCII characters and escapes invisible ones", () => {
    expect(goQuote("zażółć 日本 🙂")).toBe('"zażółć 日本 🙂"');
    expect(goQuote("\u00a0\u200b")).toBe('"\\u00a0\\u200b"');
    expect(goQuote("\u{e0001}")).toBe('"\\U000e0001"');
  });

  it("shows a lone surrogate as the replacement character, as Go's JSON decoder does", () => {
    expect(goQuote("a\ud800b")).toBe('"a\ufffdb"');
  });
});

describe("utf8Length", () => {
  it("counts bytes, not UTF-16 code units", () => {
    expect(utf8Length("abc")).toBe(3);
    expect(utf8Length("ż")).toBe(2);
    expect(utf8Length("日")).toBe(3);
    expect(utf8Length("🙂")).toBe(4);
  });
});
