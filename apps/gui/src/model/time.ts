/** Times as the GUI shows them: relative ("3 min ago") with the exact UTC time as a tooltip. */

/** Milliseconds since the epoch of an RFC 3339 timestamp, or undefined when absent or unreadable. */
export function millisOf(timestamp: string | undefined): number | undefined {
  if (!timestamp) return undefined;
  const millis = Date.parse(timestamp);
  return Number.isNaN(millis) ? undefined : millis;
}

/** `3 min ago`, `in 2 h` (a clock ahead of ours), `just now`; `never` for no time. */
export function relativeTime(timestamp: string | undefined, now: number): string {
  const millis = millisOf(timestamp);
  if (millis === undefined) return "never";
  const seconds = Math.round((now - millis) / 1000);
  const magnitude = Math.abs(seconds);
  if (magnitude < 10) return "just now";
  const amount = durationText(magnitude);
  return seconds >= 0 ? `${amount} ago` : `in ${amount}`;
}

/** A duration in the largest unit that fits: `45 s`, `3 min`, `2 h`, `5 d`. */
export function durationText(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86_400)} d`;
}

/** The exact time in ISO-8601 UTC, for tooltips: `2024-05-01T12:04:31Z`. */
export function absoluteTime(timestamp: string | undefined): string {
  const millis = millisOf(timestamp);
  return millis === undefined ? "never" : new Date(millis).toISOString().replace(/\.000Z$/, "Z");
}

/** A wall-clock time of this browser: `12:04:31`. */
export function clockTime(millis: number): string {
  return new Date(millis).toLocaleTimeString([], { hour12: false });
}
