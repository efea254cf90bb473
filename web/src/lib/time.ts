export const viewerZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/**
 * "Mon 30 Nov, 09:00 CET": a time is never shown without its zone, and a date outside the current
 * year (on that zone's calendar) carries its year: "Mon, 1 Feb 2027, 09:00 CET".
 */
export function formatIn(iso: string | null | undefined, timeZone: string, now: Date = new Date()): string {
  if (!iso) return "—";
  const at = new Date(iso);
  const otherYear = partsIn(at.getTime(), timeZone).year !== partsIn(now.getTime(), timeZone).year;
  return new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    ...(otherYear ? { year: "numeric" } : {}),
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(at);
}

export const formatBytes = (n: number | null | undefined) =>
  n == null ? "—" : n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`;

/** The wall-clock fields of an instant in `timeZone`. */
function partsIn(ms: number, timeZone: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(new Date(ms));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"), minute: get("minute"), second: get("second") };
}

/** How far `timeZone`'s wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(ms: number, timeZone: string): number {
  const p = partsIn(ms, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The calendar date ("2025-03-01") an instant falls on in `timeZone`, for a date input. */
export function dateIn(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return "";
  const p = partsIn(Date.parse(iso), timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The instant a calendar date ("2025-03-01") begins in `timeZone`, as ISO 8601 in UTC. */
export function startOfDateIn(date: string, timeZone: string): string {
  const [y = 1970, m = 1, d = 1] = date.split("-").map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // The offset at the guess, then at the corrected instant (they differ only around a DST change).
  const guess = wall - offsetAt(wall, timeZone);
  return new Date(wall - offsetAt(guess, timeZone)).toISOString();
}

/** The last second of a calendar date in `timeZone`, as ISO 8601 in UTC. */
export function endOfDateIn(date: string, timeZone: string): string {
  const [y = 1970, m = 1, d = 1] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  return new Date(Date.parse(startOfDateIn(next, timeZone)) - 1000).toISOString();
}

/** "09:00": the hour an instant falls in, on the viewer's clock, for a chart's axis. */
export const formatHour = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

/**
 * Calendar dates ("2026-11-30") on the viewer's clock as the API's from/to query: both days
 * included, so `to` is the instant the day after begins (the API's `to` is exclusive).
 */
export function dayRangeIn(from: string, to: string, timeZone: string): { from?: string; to?: string } {
  const dayAfter = (date: string) => {
    const [y = 1970, m = 1, d = 1] = date.split("-").map(Number);
    return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
  };
  return { from: from ? startOfDateIn(from, timeZone) : undefined, to: to ? startOfDateIn(dayAfter(to), timeZone) : undefined };
}

/** "29 Nov, 23:30": an axis label, short; the axis title names the zone. */
export const formatShort = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" }).format(new Date(iso));

/** "29 Nov": a UTC day, as the API counts a day's figures, for a chart's axis. */
export const formatUtcDay = (iso: string) => new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short" }).format(new Date(iso));
