import { describe, expect, it } from "vitest";
import { renderJson, renderYaml } from "./printers.js";

describe("renderYaml", () => {
  it("sorts keys at every level, does not indent list items and ends with a newline", async () => {
    expect(
      await renderYaml({
        type: "Mesh",
        name: "m",
        mtls: { enabled: true, ca: { builtin: {} } },
        list: [{ b: 1, a: 2 }],
      }),
    ).toBe(
      "list:\n- a: 2\n  b: 1\nmtls:\n  ca:\n    builtin: {}\n  enabled: true\nname: m\ntype: Mesh\n",
    );
  });

  it("quotes strings only when a YAML 1.1 reader would take them for something else", async () => {
    expect(
      await renderYaml({
        a: "on",
        b: "1.0",
        c: "2019-10-24T14:04:56.820350Z",
        d: "",
        e: "service=web",
        f: "null",
        g: "127.0.0.1:8080",
        y: "plain",
      }),
    ).toBe(
      'a: "on"\nb: "1.0"\nc: "2019-10-24T14:04:56.820350Z"\nd: ""\ne: service=web\nf: "null"\ng: 127.0.0.1:8080\n"y": plain\n',
    );
  });

  it("writes an empty list as [] and never folds long strings", async () => {
    const long = "x ".repeat(80).trim();
    expect(await renderYaml({ items: [], next: null, total: 0, long })).toBe(
      `items: []\nlong: ${long}\nnext: null\ntotal: 0\n`,
    );
  });
});

describe("renderJson", () => {
  it("indents with two spaces and ends with a newline", () => {
    expect(renderJson({ items: [], total: 0 })).toBe('{\n  "items": [],\n  "total": 0\n}\n');
  });
});
