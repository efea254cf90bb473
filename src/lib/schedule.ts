import { Cron } from "croner";

/**
 * Pure scheduling math: cron and presets are read in the report's IANA timezone, and every
 * result is a UTC instant on a whole minute. No I/O, so it is safe to call anywhere.
 *
 * DST, as croner 11 does it (Vixie cron rules) and as we promise:
 * - Fixed-time schedules (no wildcard or step in minute and hour, e.g. "30 2 * * *" or
 *   "30 2,14 * * *"): a local time skipped by spring-forward runs once, at the first valid
 *   instant after the gap; a local time repeated by fall-back runs once, at its first occurrence.
 * - Interval schedules ("15 * * * *", "*\/5 * * * *"): they follow real time, so "every hour at
 *   :15" fires in each real hour, twice in a repeated local hour and not in a skipped one.
 *   Running the repeated hour once would leave two real hours between hourly reports.
 */

export const PRESETS = ["hourly", "daily", "weekly", "monthly"] as const;
export type Preset = (typeof PRESETS)[number];
export type PresetSchedule = {
  preset: Preset;
  time?: string;
  minute?: number;
  daysOfWeek?: number[];
  dayOfMonth?: number | "last";
};
export type ScheduleBounds = { startAt?: Date | null; endAt?: Date | null };

export class ScheduleError extends Error {
  override name = "ScheduleError";
}

const DAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

// Strict "HH:MM": it is what <input type="time"> sends, and one accepted spelling keeps stored
// presets comparable. "9:00" is rejected rather than guessed at.
function parseTime(time: string): { hour: number; minute: number } | null {
  const m = TIME_RE.exec(time);
  return m ? { hour: Number(m[1]), minute: Number(m[2]) } : null;
}

const isIntIn = (n: unknown, min: number, max: number): n is number => Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

function validateDays(days: number[] | undefined): string | null {
  if (days === undefined) return null;
  if (!Array.isArray(days) || days.length === 0) return "daysOfWeek needs at least one day";
  if (!days.every((d) => isIntIn(d, 0, 6))) {
    return "daysOfWeek must hold whole numbers from 0 (Sunday) to 6 (Saturday)";
  }
  return null;
}

function validateDayOfMonth(dom: number | "last" | undefined): string | null {
  if (dom === undefined || dom === "last" || isIntIn(dom, 1, 28)) return null;
  if (isIntIn(dom, 29, 31)) {
    return `dayOfMonth ${dom} is not in every month (February has 28 or 29 days); use "last" to run on the last day of each month`;
  }
  return 'dayOfMonth must be a whole number from 1 to 28, or "last"';
}

/** Fields that belong to another preset are ignored: the wizard keeps them while users switch. */
export function validatePreset(p: PresetSchedule): string | null {
  if (!PRESETS.includes(p.preset)) return `preset must be one of ${PRESETS.join(", ")}`;
  if (p.preset === "hourly") {
    return p.minute === undefined || isIntIn(p.minute, 0, 59) ? null : "minute must be a whole number from 0 to 59";
  }
  if (p.time !== undefined && (typeof p.time !== "string" || !parseTime(p.time))) {
    return 'time must be "HH:MM" in 24-hour form, e.g. "09:00" or "17:30"';
  }
  if (p.preset === "monthly") return validateDayOfMonth(p.dayOfMonth);
  return validateDays(p.daysOfWeek);
}

/** Sorted, de-duplicated weekdays, with runs of three or more written as ranges ("1-5"). */
function formatDays(days: number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  if (sorted.length === 7) return "*";
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}-${sorted[j]}` : sorted.slice(i, j + 1).join(","));
    i = j + 1;
  }
  return parts.join(",");
}

export function presetToCron(p: PresetSchedule): string {
  const error = validatePreset(p);
  if (error) throw new ScheduleError(error);
  if (p.preset === "hourly") return `${p.minute ?? 0} * * * *`;
  const { hour, minute } = parseTime(p.time ?? "09:00")!;
  const at = `${minute} ${hour}`;
  switch (p.preset) {
    case "daily":
      return `${at} * * ${p.daysOfWeek ? formatDays(p.daysOfWeek) : "*"}`;
    case "weekly":
      return `${at} * * ${formatDays(p.daysOfWeek ?? [1])}`;
    case "monthly":
      return `${at} ${p.dayOfMonth === "last" ? "L" : (p.dayOfMonth ?? 1)} * *`;
  }
}

const splitFields = (expr: string): string[] => expr.trim().split(/\s+/).filter(Boolean);

// domAndDow:false is croner's default today, but Vixie OR semantics are a product promise, so
// pin it. "no-wildcard" makes "30 2,14 * * *" a fixed-time job too, so a listed time that falls
// in a DST gap still runs once instead of silently vanishing (croner's default skips it).
function buildCron(expr: string, timezone: string): Cron {
  return new Cron(splitFields(expr).join(" "), {
    mode: "5-part",
    domAndDow: false,
    fixedTimeRule: "no-wildcard",
    timezone,
  });
}

/**
 * Parsed jobs, per (expression, timezone): a tick with thousands of due reports shares a few
 * schedules ("0 9 * * 1" in a handful of zones), and parsing is most of croner's cost. A job is only
 * asked for run times (never started), so one instance serves every caller. Bounded: cleared when full.
 */
const parsed = new Map<string, Cron>();
const PARSED_MAX = 2000;

/** Builds the croner job (or reuses it), or throws ScheduleError saying what is wrong with the input. */
function parseCron(expr: string, timezone: string): Cron {
  const key = `${expr}\u0000${timezone}`;
  const hit = parsed.get(key);
  if (hit) return hit;
  const job = parseCronUncached(expr, timezone);
  if (parsed.size >= PARSED_MAX) parsed.clear();
  parsed.set(key, job);
  return job;
}

function parseCronUncached(expr: string, timezone: string): Cron {
  if (!isValidTimeZone(timezone)) throw new ScheduleError(`Unknown timezone: ${timezone}`);
  const fields = splitFields(expr);
  if (fields.length === 0) throw new ScheduleError("Cron expression is empty");
  if (fields.length !== 5) {
    throw new ScheduleError(`Cron expression needs exactly five fields (minute hour day-of-month month day-of-week), got ${fields.length}`);
  }
  try {
    return buildCron(expr, timezone);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).replace(/^CronPattern:\s*/, "");
    throw new ScheduleError(`Invalid cron expression: ${reason}`);
  }
}

export function validateCron(expr: string): string | null {
  try {
    // Any start works: with no year field, a pattern that ever matches does so within 8 years.
    // Only validation pays for this search; scheduling a never-matching cron just yields nothing.
    if (!parseCron(expr, "UTC").nextRun(new Date(0))) return "Cron expression never runs: no date matches it";
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

// Intl alone would also accept offsets such as "+02:00" on newer engines; we want zone names,
// which follow DST, so the name must start with a letter.
const ZONE_NAME_RE = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || !ZONE_NAME_RE.test(tz)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Exclusive lower edge: `after` itself never runs, startAt itself may. */
function lowerEdge(after: Date, bounds?: ScheduleBounds): number {
  const start = bounds?.startAt ? bounds.startAt.getTime() - 1 : -Infinity;
  return Math.max(after.getTime(), start);
}

/** Inclusive upper edge from endAt (and an optional caller limit). */
function upperEdge(bounds?: ScheduleBounds, until?: Date): number {
  const end = bounds?.endAt ? bounds.endAt.getTime() : Infinity;
  return Math.min(end, until ? until.getTime() : Infinity);
}

export function nextRuns(cron: string, timezone: string, after: Date, count: number, bounds?: ScheduleBounds): Date[] {
  const job = parseCron(cron, timezone);
  if (count < 1) return [];
  const upper = upperEdge(bounds);
  // croner jumps field by field (no minute-by-minute scan) and returns [] for patterns that never match.
  return job.nextRuns(Math.floor(count), new Date(lowerEdge(after, bounds))).filter((d) => d.getTime() <= upper);
}

export function nextRunAfter(cron: string, timezone: string, after: Date, bounds?: ScheduleBounds): Date | null {
  return nextRuns(cron, timezone, after, 1, bounds)[0] ?? null;
}

/**
 * Missed runs in (afterExclusive, untilInclusive], oldest first, at most `cap`. When more than
 * `cap` were missed we keep the LATEST `cap`: a catch-up should deliver the recent reports people
 * still care about, not a backlog from last month.
 *
 * croner's backward search only picks where to start; the runs themselves come from the forward
 * search, so catch-up can never produce an instant the regular scheduler would not (that matters
 * around DST, where run times are keys for exactly-once delivery).
 */
export function runsBetween(cron: string, timezone: string, afterExclusive: Date, untilInclusive: Date, cap: number, bounds?: ScheduleBounds): Date[] {
  const job = parseCron(cron, timezone);
  const upper = upperEdge(bounds, untilInclusive);
  let lower = lowerEdge(afterExclusive, bounds);
  if (cap < 1 || upper <= lower) return [];
  const recent = job.previousRuns(Math.floor(cap) + 1, new Date(upper + 1));
  const oldest = recent.at(-1);
  if (recent.length > cap && oldest) lower = Math.max(lower, oldest.getTime() - 1);
  const runs: Date[] = [];
  for (let next = job.nextRun(new Date(lower)); next && next.getTime() <= upper; next = job.nextRun(next)) {
    runs.push(next);
  }
  return runs.slice(-Math.floor(cap));
}

const pad2 = (n: number) => String(n).padStart(2, "0");
const asInt = (field: string, min: number, max: number): number | null => (/^\d{1,2}$/.test(field) && isIntIn(Number(field), min, max) ? Number(field) : null);

/** Numeric weekday field ("1", "1-5", "1,3,5", 7 = Sunday) to a set, or null if fancier. */
function parseDays(field: string): Set<number> | null {
  const days = new Set<number>();
  for (const part of field.split(",")) {
    const ends = part.split("-");
    const a = asInt(ends[0] ?? "", 0, 7);
    const b = asInt(ends.at(-1) ?? "", 0, 7);
    if (ends.length > 2 || a === null || b === null || a > b) return null;
    for (let d = a; d <= b; d++) days.add(d % 7);
  }
  return days;
}

// Monday-first, as people read a week.
function describeDays(days: Set<number>): string {
  const ordered = [1, 2, 3, 4, 5, 6, 0].filter((d) => days.has(d));
  const names = ordered.map((d) => DAY_NAMES[d]!);
  if (names.length === 7) return "Every day";
  const position = (d: number) => (d + 6) % 7;
  const span = position(ordered.at(-1)!) - position(ordered[0]!) + 1;
  if (names.length >= 3 && span === names.length) return `${names[0]} to ${names.at(-1)}`;
  if (names.length === 1) return `Every ${names[0]}`;
  return `Every ${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export function describeSchedule(cron: string, timezone: string): string {
  const fields = splitFields(cron);
  const fallback = `Cron ${fields.join(" ")} (${timezone})`;
  if (fields.length !== 5) return fallback;
  const [minF, hourF, domF, monthF, dowF] = fields as [string, string, string, string, string];
  const minute = asInt(minF, 0, 59);
  if (minute === null || monthF !== "*") return fallback;
  const tz = ` (${timezone})`;
  if (hourF === "*" && domF === "*" && dowF === "*") return `Every hour at minute ${minute}${tz}`;
  const hour = asInt(hourF, 0, 23);
  if (hour === null) return fallback;
  const at = ` at ${pad2(hour)}:${pad2(minute)}${tz}`;
  if (domF === "*" && dowF === "*") return `Every day${at}`;
  if (domF === "*") {
    const days = parseDays(dowF);
    return days ? describeDays(days) + at : fallback;
  }
  if (dowF !== "*") return fallback;
  if (domF === "L") return `On the last day of every month${at}`;
  const dom = asInt(domF, 1, 31);
  return dom === null ? fallback : `On day ${dom} of every month${at}`;
}

/**
 * Data-ready triggers: a report waits for `POST …/trigger` and runs once per day of its timezone.
 * The deadline, if any, is a daily time; the scheduler looks at the report then.
 */
export function eventCron(deadline?: string): string {
  const t = deadline ? parseTime(deadline) : null;
  if (deadline && !t) throw new ScheduleError('deadline must be "HH:MM" (24-hour)');
  return t ? `${t.minute} ${t.hour} * * *` : "0 0 * * *";
}

/**
 * The key of the trigger period `at` falls in: the day's deadline instant, or the day's local
 * midnight when there is none. A run's scheduled-for time is this key, so the unique (report,
 * scheduled_for) index lets one run per day happen however many triggers (or the deadline) arrive.
 */
export function eventPeriodKey(timezone: string, deadline: string | undefined, at: Date): Date {
  const midnight = parseCron("0 0 * * *", timezone).previousRuns(1, new Date(at.getTime() + 1))[0];
  if (!midnight) throw new ScheduleError(`No local midnight before ${at.toISOString()} in ${timezone}`);
  if (!deadline) return midnight;
  const due = parseCron(eventCron(deadline), timezone).nextRun(new Date(midnight.getTime() - 1));
  if (!due) throw new ScheduleError(`No deadline after ${midnight.toISOString()} in ${timezone}`);
  return due;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Any UTC day will do: the minute and hour fields fire at the same times of every day they fire on. */
const SAMPLE_DAY = Date.UTC(2030, 0, 1);
/** Firing days looked at when the only short gap is across midnight (over a year of a daily schedule). */
const FIRING_DAYS_SAMPLED = 400;
const intervals = new Map<string, number>();

/** The values of one field: the times `job` fires in [from, from + span), as offsets in `unit`s. */
function firingOffsets(job: Cron, from: number, span: number, unit: number): number[] {
  const out: number[] = [];
  for (let t = job.nextRun(new Date(from - 1)); t && t.getTime() < from + span; t = job.nextRun(t)) out.push((t.getTime() - from) / unit);
  return out;
}

/**
 * The shortest time, in whole minutes, between two consecutive runs of a five-field cron; 1440 for a
 * schedule that never runs twice within a day. What matters is the gap between consecutive fire times,
 * never the time from now to the next run (an hourly schedule at minute 59 is 60 minutes apart even
 * when asked at :58).
 *
 * Every day a cron fires on, it fires at the same times: each minute of the minute field in each hour
 * of the hour field. croner lists those two fields (at most 60 and 24 runs of one sample hour and
 * day), and the day's times give every gap inside a day, including the one across an hour boundary
 * (`1,58 * * * *`: 3 minutes). Only the gap from a day's last time to the next day's first ("59 23"
 * then "0 0") depends on the day fields: it counts when the cron fires on two consecutive days, which
 * croner is asked over a sample of firing days. Computed in UTC: a daylight-saving change moves
 * wall-clock times but does not bring two runs closer (a skipped or repeated local time runs once).
 */
export function shortestIntervalMinutes(expr: string): number {
  const key = splitFields(expr).join(" ");
  const known = intervals.get(key);
  if (known !== undefined) return known;
  const fields = key.split(" ");
  if (fields.length !== 5) throw new ScheduleError("Cron expression needs exactly five fields");
  const [minute, hour, dom, month, dow] = fields as [string, string, string, string, string];
  const minutes = firingOffsets(parseCron(`${minute} 0 * * *`, "UTC"), SAMPLE_DAY, HOUR_MS, MINUTE_MS);
  const hours = firingOffsets(parseCron(`0 ${hour} * * *`, "UTC"), SAMPLE_DAY, DAY_MS, HOUR_MS);
  const day = hours.flatMap((h) => minutes.map((m) => h * 60 + m));
  let shortest = 1440;
  for (let i = 1; i < day.length; i++) shortest = Math.min(shortest, day[i]! - day[i - 1]!);
  const first = day[0];
  const last = day.at(-1);
  if (first !== undefined && last !== undefined && day.length > 1 && first + 1440 - last < shortest && firesOnConsecutiveDays(dom, month, dow)) {
    shortest = first + 1440 - last;
  }
  if (intervals.size >= PARSED_MAX) intervals.clear();
  intervals.set(key, shortest);
  return shortest;
}

/** Whether the day fields ever select two consecutive days (looked at over a sample of firing days). */
function firesOnConsecutiveDays(dom: string, month: string, dow: string): boolean {
  const days = parseCron(`0 0 ${dom} ${month} ${dow}`, "UTC");
  let previous = days.nextRun(new Date(SAMPLE_DAY - 1));
  for (let i = 0; previous && i < FIRING_DAYS_SAMPLED; i++) {
    const next = days.nextRun(previous);
    if (next && next.getTime() - previous.getTime() === DAY_MS) return true;
    previous = next;
  }
  return false;
}
