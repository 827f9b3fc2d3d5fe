/**
 * Tables as kumactl prints them (Go's text/tabwriter with padding 3): every
 * column but the last is as wide as its longest cell, header included, plus
 * three spaces; the last column is written as is.
 */

/** Renders a header and rows; an empty table is its header line only. */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const lines = [headers, ...rows];
  const widths = headers.map((_, column) =>
    Math.max(...lines.map((line) => width(line[column] ?? ""))),
  );
  return lines
    .map((line) =>
      line
        .map((cell, column) =>
          column === line.length - 1 ? cell : cell + " ".repeat(widths[column]! - width(cell) + 3),
        )
        .join(""),
    )
    .map((line) => `${line}\n`)
    .join("");
}

/** Width in code points, as tabwriter counts runes. */
function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
