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
  const widths = columnWidths(lines);
  return lines.map((line) => renderRow(line, widths)).join("");
}

/** The width of each column: its widest cell (the first line says how many columns there are). */
export function columnWidths(lines: readonly (readonly string[])[]): number[] {
  return lines[0]!.map((_, column) => Math.max(...lines.map((line) => width(line[column] ?? ""))));
}

/**
 * One line of a table whose column widths are already chosen (a watch's
 * later rows): a cell wider than its column pushes the rest of its own line
 * only, still three spaces after it.
 */
export function renderRow(cells: readonly string[], widths: readonly number[]): string {
  const padded = cells.map((cell, column) =>
    column === cells.length - 1
      ? cell
      : cell + " ".repeat(Math.max(widths[column]! - width(cell), 0) + 3),
  );
  return `${padded.join("")}\n`;
}

/** Width in code points, as tabwriter counts runes. */
function width(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}
