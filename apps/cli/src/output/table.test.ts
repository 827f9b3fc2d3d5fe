import { describe, expect, it } from "vitest";
import { columnWidths, renderRow, renderTable } from "./table.js";

describe("renderTable", () => {
  it("pads every column but the last to its widest cell plus three spaces", () => {
    expect(
      renderTable(
        ["NAME", "mTLS", "CA", "METRICS"],
        [
          ["mesh1", "on", "builtin", "off"],
          ["mesh2", "off", "provided", "prometheus"],
        ],
      ),
    ).toBe(
      "NAME    mTLS   CA         METRICS\n" +
        "mesh1   on     builtin    off\n" +
        "mesh2   off    provided   prometheus\n",
    );
  });

  it("prints the header line alone for an empty result", () => {
    expect(renderTable(["MESH", "NAME", "TAGS"], [])).toBe("MESH   NAME   TAGS\n");
  });

  it("counts code points, not UTF-16 units, and pads empty cells", () => {
    expect(
      renderTable(
        ["A", "B"],
        [
          ["é😀", ""],
          ["", "x"],
        ],
      ),
    ).toBe("A    B\né😀   \n     x\n");
  });
});

describe("renderRow", () => {
  it("pads to chosen widths, and a wider cell pushes only its own line", () => {
    const widths = columnWidths([
      ["EVENT", "NAME", "TAGS"],
      ["ADDED", "web", "a=b"],
    ]);
    expect(widths).toEqual([5, 4, 4]);
    expect(renderRow(["ADDED", "db", "x=y"], widths)).toBe("ADDED   db     x=y\n");
    expect(renderRow(["MODIFIED", "backend-1", "x=y"], widths)).toBe(
      "MODIFIED   backend-1   x=y\n",
    );
  });
});
