/**
 * xDS counters are uint64, serialised as JSON strings ("3"). They are summed
 * as numbers while that is exact, and as BigInt beyond 2^53.
 */

/** The sum of counters given as decimal strings (missing ones count 0), as a decimal string. */
export function sumCounters(values: readonly (string | undefined)[]): string {
  let sum = 0;
  for (const value of values) {
    const n = Number(value ?? 0);
    if (!Number.isSafeInteger(n) || !Number.isSafeInteger(sum + n)) return sumAsBigInt(values);
    sum += n;
  }
  return String(sum);
}

function sumAsBigInt(values: readonly (string | undefined)[]): string {
  let sum = 0n;
  for (const value of values) sum += BigInt(/^\d+$/.test(value ?? "") ? value! : 0);
  return sum.toString();
}

/** Whether a counter given as a decimal string is above zero. */
export const isPositive = (counter: string): boolean => /^0*[1-9]/.test(counter);

/** `12345` → `12,345`; BigInt-sized counters keep every digit. */
export function formatCount(counter: string): string {
  return counter.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}
