import { describe, expect, it } from "vitest";
import { SseParser, type SseMessage } from "./sse.js";

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Everything `chunks` produce through one parser. */
function parse(chunks: readonly (string | Uint8Array)[], lastEventId?: string): SseMessage[] {
  const parser = new SseParser(lastEventId);
  return chunks.flatMap((chunk) => parser.push(typeof chunk === "string" ? bytes(chunk) : chunk));
}

/** The stream cut into chunks of every size from 1 byte, which must all parse alike. */
function everySplit(text: string): Uint8Array[][] {
  const all = bytes(text);
  const splits: Uint8Array[][] = [];
  for (let size = 1; size <= all.length; size++) {
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < all.length; i += size) chunks.push(all.slice(i, i + size));
    splits.push(chunks);
  }
  return splits;
}

describe("the SSE parser", () => {
  it("reads id, event and data, and keeps the last id for events without one", () => {
    expect(
      parse([
        "retry: 1000\n\n",
        'id: t1\nevent: created\ndata: {"a":1}\n\n',
        "event: snapshot\ndata: x\n\n",
      ]),
    ).toEqual([
      { type: "retry", ms: 1000 },
      { type: "event", event: "created", data: '{"a":1}', lastEventId: "t1" },
      { type: "event", event: "snapshot", data: "x", lastEventId: "t1" },
    ]);
  });

  it("starts from a resumed last event id", () => {
    expect(parse(["data: x\n\n"], "t9")).toEqual([
      { type: "event", event: "message", data: "x", lastEventId: "t9" },
    ]);
  });

  it("joins data lines with LF and takes one space after the colon only", () => {
    expect(parse(["data:a\ndata:  b\ndata\ndata: \n\n"])).toEqual([
      { type: "event", event: "message", data: "a\n b\n\n", lastEventId: "" },
    ]);
  });

  it("skips comments, unknown fields, and blocks without data (their id still counts)", () => {
    expect(
      parse([": keep-alive\n\n", "foo: bar\n\n", "id: t2\nevent: x\n\n", "data: y\n\n"]),
    ).toEqual([{ type: "event", event: "message", data: "y", lastEventId: "t2" }]);
  });

  it("ignores a retry that is not all digits and an id with NUL", () => {
    expect(parse(["retry: 10s\nretry: -1\nid: a\0b\ndata: x\n\n"])).toEqual([
      { type: "event", event: "message", data: "x", lastEventId: "" },
    ]);
  });

  it("an empty id resets the last event id", () => {
    expect(
      parse(["id: t1\ndata: a\n\nid\ndata: b\n\n"]).map((m) => m.type === "event" && m.lastEventId),
    ).toEqual(["t1", ""]);
  });

  it("accepts CRLF, LF and CR line ends, mixed", () => {
    const expected = [
      { type: "event", event: "e1", data: "a", lastEventId: "1" },
      { type: "event", event: "e2", data: "b", lastEventId: "2" },
      { type: "event", event: "e3", data: "c\nd", lastEventId: "3" },
    ];
    const text =
      "id: 1\r\nevent: e1\r\ndata: a\r\n\r\nid: 2\revent: e2\rdata: b\r\rid: 3\nevent: e3\ndata: c\r\ndata: d\n\n";
    expect(parse([text])).toEqual(expected);
    for (const chunks of everySplit(text)) expect(parse(chunks)).toEqual(expected);
  });

  it("parses alike whatever the chunk boundaries, UTF-8 characters split included", () => {
    const text =
      '\uFEFFretry: 500\n\nid: é1\nevent: updated\ndata: {"name":"ça-va-🙂"}\n\n: hb\n\n';
    const expected = [
      { type: "retry", ms: 500 },
      { type: "event", event: "updated", data: '{"name":"ça-va-🙂"}', lastEventId: "é1" },
    ];
    for (const chunks of everySplit(text)) expect(parse(chunks)).toEqual(expected);
  });

  it("a CR at the end of a chunk followed by an empty chunk still pairs with the next LF", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: a\r"))).toEqual([]);
    expect(parser.push(new Uint8Array(0))).toEqual([]);
    expect(parser.push(bytes("\n"))).toEqual([]);
    expect(parser.push(bytes("\n"))).toEqual([
      { type: "event", event: "message", data: "a", lastEventId: "" },
    ]);
  });

  it("drops an event the stream ends in the middle of", () => {
    const parser = new SseParser();
    expect(parser.push(bytes("data: a\n"))).toEqual([]);
    parser.end();
    expect(parser.push(bytes("\n"))).toEqual([]);
  });
});
