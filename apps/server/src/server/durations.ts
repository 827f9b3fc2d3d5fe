import { nanosToMillis, parseDuration } from "@kuma-ts/model";

/** Milliseconds of a validated Go-style configuration duration (`"5s"`, `"250ms"`). */
export function durationMillis(text: string): number {
  const nanos = parseDuration(text);
  if (nanos === undefined) throw new TypeError(`not a duration: ${JSON.stringify(text)}`);
  return nanosToMillis(nanos);
}
