/**
 * RFC 3339 timestamps kept exact to the nanosecond (a JS Date keeps only
 * milliseconds): parsed into whole seconds since the epoch plus nanoseconds,
 * written in UTC with `Z` and 0, 3, 6 or 9 fraction digits as protobuf does.
 */
import { formatNanosFraction } from "./duration.js";

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** A point in time: seconds since the Unix epoch and nanoseconds within the second. */
export interface PreciseTime {
  readonly seconds: number;
  readonly nanos: number;
}

/** Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range protobuf allows. */
const MIN_SECONDS = -62_135_596_800;
const MAX_SECONDS = 253_402_300_799;

/** Parses an RFC 3339 timestamp; undefined when it is not one or out of range. */
export function parseTimestamp(text: string): PreciseTime | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac = "", , sign, oh, om] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetSeconds = 0;
  if (sign) {
    const offH = Number(oh);
    const offM = Number(om);
    if (offH > 23 || offM > 59) return undefined;
    offsetSeconds = (sign === "-" ? -1 : 1) * (offH * 3600 + offM * 60);
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const seconds = date.getTime() / 1000 - offsetSeconds;
  if (seconds < MIN_SECONDS || seconds > MAX_SECONDS) return undefined;
  const nanos = frac ? Number(frac.padEnd(9, "0")) : 0;
  return { seconds, nanos };
}

/** Writes a time as RFC 3339 in UTC: `2019-10-24T14:04:56.820350Z`. */
export function formatTimestamp(time: PreciseTime): string {
  const date = new Date(time.seconds * 1000);
  const iso = date.toISOString(); // e.g. 2019-10-24T14:04:56.000Z, or +/-YYYYYY for out-of-range years
  return `${iso.slice(0, 19)}${formatNanosFraction(time.nanos)}Z`;
}

/**
 * A timestamp in the form formatTimestamp writes, or undefined when the
 * text is not one. Text already in that form (the usual case: what this
 * system wrote itself) is returned as it is, without formatting it again.
 */
export function normalizeTimestamp(text: string): string | undefined {
  const time = parseTimestamp(text);
  if (!time) return undefined;
  // Canonical: `T` and `Z` upper case, no offset, and the fraction as formatNanosFraction writes it.
  if (text[10] === "T" && text.length >= 20 && text[text.length - 1] === "Z") {
    const fraction = text.slice(19, -1);
    if (fraction === formatNanosFraction(time.nanos)) return text;
  }
  return formatTimestamp(time);
}

/** The current time, to the millisecond, as the store records it. */
export function timestampOf(date: Date): string {
  const ms = date.getTime();
  const seconds = Math.floor(ms / 1000);
  return formatTimestamp({ seconds, nanos: (ms - seconds * 1000) * 1_000_000 });
}

/** Milliseconds since the epoch of a timestamp (sub-millisecond digits dropped). */
export function timestampToMillis(text: string): number | undefined {
  const t = parseTimestamp(text);
  return t && t.seconds * 1000 + Math.floor(t.nanos / 1_000_000);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
