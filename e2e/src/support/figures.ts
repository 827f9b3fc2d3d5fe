/**
 * The figures each test prints: one greppable line per test,
 * `[e2e] <test>: <value> <label>, <value> <label>, ...`.
 */

/** Prints a test's figures, in the order given. */
export function reportFigures(
  test: string,
  figures: Readonly<Record<string, number | string>>,
): void {
  const parts = Object.entries(figures).map(([label, value]) => `${format(value)} ${label}`);
  // eslint-disable-next-line no-console -- these lines are the suite's report, read by people and CI logs
  console.log(`[e2e] ${test}: ${parts.join(", ")}`);
}

function format(value: number | string): string {
  if (typeof value === "string") return value;
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Counts outcomes by name (`"200"`, `"503"`, `"ECONNRESET"`). */
export class Tally {
  private readonly counts = new Map<string, number>();

  add(outcome: string, count = 1): void {
    this.counts.set(outcome, (this.counts.get(outcome) ?? 0) + count);
  }

  get(outcome: string): number {
    return this.counts.get(outcome) ?? 0;
  }

  /** The sum over outcomes that satisfy `predicate` (all when absent). */
  total(predicate: (outcome: string) => boolean = () => true): number {
    let sum = 0;
    for (const [outcome, count] of this.counts) if (predicate(outcome)) sum += count;
    return sum;
  }

  /** Outcomes other than `allowed`, with their counts. */
  except(allowed: readonly string[]): Record<string, number> {
    return Object.fromEntries([...this.counts].filter(([outcome]) => !allowed.includes(outcome)));
  }

  /** `200×12 503×3`, sorted by outcome. */
  toString(): string {
    return [...this.counts]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([outcome, count]) => `${outcome}×${count}`)
      .join(" ");
  }
}

/** The `q`-quantile (0..1) of `values`, 0 when empty. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** Milliseconds since `start` (a performance.now() value), rounded. */
export function msSince(start: number): number {
  return Math.round(performance.now() - start);
}

/** Waits `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
