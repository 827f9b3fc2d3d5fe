/** The table of ratios, as plain text. */
import type { Row } from "./compare.js";

const number = (value: number, unit: string): string => {
  if (!Number.isFinite(value)) return String(value);
  // Counts (answers) are whole numbers: no decimals for them.
  const digits = value >= 100 || Number.isInteger(value) ? 0 : value >= 10 ? 1 : 2;
  return `${value.toLocaleString("en", { minimumFractionDigits: digits, maximumFractionDigits: digits })} ${unit}`;
};

/** operation | ours | baseline | ratio | target | pass/fail. */
export function formatTable(rows: readonly Row[], thresholds: boolean): string {
  const header = ["operation", "ours", "baseline", "ratio", "target", "result"];
  const lines = rows.map((row) => [
    row.operation,
    number(row.ours, row.unit),
    `${number(row.baseline, row.unit)} (${row.baselineName})`,
    row.ratio.toFixed(2),
    row.target ? `${row.target.op === ">=" ? "≥" : "≤"} ${row.target.value}${row.target.absolute ? ` ${row.unit}` : ""}` : "info",
    !thresholds || row.pass === undefined ? "—" : row.pass ? "pass" : "FAIL",
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => (line[i] as string).length)));
  const format = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join(" | ")} |`;
  return [
    format(header),
    `|${widths.map((width, i) => (i === 0 || i === 2 ? `:${"-".repeat(width + 1)}` : `${"-".repeat(width + 1)}:`)).join("|")}|`,
    ...lines.map(format),
  ].join("\n");
}

/** The servers' CPU time per request of the throughput rows: baseline / ours is the ratio a spare core would give. */
export function formatCpuTable(rows: readonly Row[]): string | undefined {
  const lines = rows.flatMap((row) => {
    const cpu = row.details?.serverCpuMicrosPerRequest as { ours: number; baseline: number } | undefined;
    return cpu ? [`  ${row.operation}: ours ${cpu.ours.toFixed(1)} µs, baseline ${cpu.baseline.toFixed(1)} µs, baseline/ours ${(cpu.baseline / cpu.ours).toFixed(2)}`] : [];
  });
  return lines.length === 0 ? undefined : ["server CPU time per request (user + system):", ...lines].join("\n");
}
