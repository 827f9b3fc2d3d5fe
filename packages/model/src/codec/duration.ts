/**
 * Durations as google.protobuf.Duration writes them (`"60s"`, `"1.500s"`)
 * and as Go writes them (`"1m0s"`, `"250ms"`), from either form on input.
 * Values are whole nanoseconds in a bigint: exact, no float rounding.
 */

const NANOS_PER: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  "µs": 1_000n, // U+00B5 micro sign
  "μs": 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/** The largest magnitude a google.protobuf.Duration can hold: 10,000 years. */
const MAX_PROTO_SECONDS = 315_576_000_000n;

const DURATION = /^[-+]?(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;
const COMPONENT = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/g;

/** Parses a Go-style duration (`"1h2m"`, `"1.5s"`, `"-250ms"`, `"0"`) into nanoseconds; undefined if invalid. */
export function parseDuration(text: string): bigint | undefined {
  if (text === "0" || text === "+0" || text === "-0") return 0n;
  if (!DURATION.test(text)) return undefined;
  const negative = text.startsWith("-");
  let total = 0n;
  for (const [, whole = "", fraction = "", unit = ""] of text.matchAll(COMPONENT)) {
    const scale = NANOS_PER[unit];
    if (scale === undefined) return undefined;
    total += BigInt(whole || "0") * scale;
    if (fraction) {
      // Exact to the nanosecond: digits beyond the unit's resolution are truncated, as Go does.
      const digits = fraction.slice(0, 18);
      total += (BigInt(digits) * scale) / 10n ** BigInt(digits.length);
    }
  }
  return negative ? -total : total;
}

/** Whether a duration fits a google.protobuf.Duration. */
export function fitsProtoDuration(nanos: bigint): boolean {
  const abs = nanos < 0n ? -nanos : nanos;
  return abs / 1_000_000_000n <= MAX_PROTO_SECONDS;
}

/** Formats nanoseconds as proto-JSON: `"10s"`, `"1.500s"`, `"-0.000000001s"`. */
export function formatProtoDuration(nanos: bigint): string {
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  const seconds = abs / 1_000_000_000n;
  const fraction = abs % 1_000_000_000n;
  return `${sign}${seconds}${formatNanosFraction(fraction)}s`;
}

/** The fraction of a second with 0, 3, 6 or 9 digits, as protobuf writes it (`.500`, `.000250`). */
export function formatNanosFraction(nanos: bigint | number): string {
  const n = Number(nanos);
  if (n === 0) return "";
  if (n % 1_000_000 === 0) return "." + String(n / 1_000_000).padStart(3, "0");
  if (n % 1_000 === 0) return "." + String(n / 1_000).padStart(6, "0");
  return "." + String(n).padStart(9, "0");
}

/** Formats nanoseconds the way Go's time.Duration.String does: `"5s"`, `"1m0s"`, `"250ms"`, `"1h2m3.5s"`. */
export function formatGoDuration(nanos: bigint): string {
  if (nanos === 0n) return "0s";
  const sign = nanos < 0n ? "-" : "";
  const abs = nanos < 0n ? -nanos : nanos;
  if (abs < 1_000n) return `${sign}${abs}ns`;
  if (abs < 1_000_000n) return `${sign}${decimal(abs, 1_000n)}µs`;
  if (abs < 1_000_000_000n) return `${sign}${decimal(abs, 1_000_000n)}ms`;
  const hours = abs / 3_600_000_000_000n;
  const minutes = (abs / 60_000_000_000n) % 60n;
  const seconds = decimal(abs % 60_000_000_000n, 1_000_000_000n);
  if (hours > 0n) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0n) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}

/** `value / unit` as a decimal without trailing zeros (`1500n, 1000n` → `"1.5"`). */
function decimal(value: bigint, unit: bigint): string {
  const whole = value / unit;
  const rest = value % unit;
  if (rest === 0n) return String(whole);
  const width = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(width, "0").replace(/0+$/, "")}`;
}

/** Nanoseconds to whole milliseconds (truncated), for timers. */
export function nanosToMillis(nanos: bigint): number {
  return Number(nanos / 1_000_000n);
}
