import { z } from "zod";

export const DATE_RANGE_OPTIONS = [
  "today",
  "yesterday",
  "last_7_days",
  "last_30_days",
  "last_month",
  "month_to_date",
  "last_quarter",
  "year_to_date",
  "custom",
] as const;
export type DateRangeOption = (typeof DATE_RANGE_OPTIONS)[number];

export type DateRangeValue = { dateRange: DateRangeOption; from?: string | undefined; to?: string | undefined };
export type ResolvedDateRange = { from: string; to: string; label: string };

const MAX_CUSTOM_YEARS = 3;

const LABELS: Record<DateRangeOption, string> = {
  today: "Today",
  yesterday: "Yesterday",
  last_7_days: "Last 7 days",
  last_30_days: "Last 30 days",
  last_month: "Last month",
  month_to_date: "Month to date",
  last_quarter: "Last quarter",
  year_to_date: "Year to date",
  custom: "Custom range",
};

/** The fields of a date-range parameter, to spread into a report's parameter object. */
export function dateRangeShape(defaultRange: DateRangeOption = "last_7_days") {
  return {
    dateRange: z.enum(DATE_RANGE_OPTIONS).default(defaultRange).meta({
      title: "Date range",
      description: "Relative to the run's scheduled time, in the report's timezone",
    }),
    from: z.iso.date().optional().meta({ title: "From", description: "First day (YYYY-MM-DD), only for a custom range" }),
    to: z.iso.date().optional().meta({ title: "To", description: "Last day (YYYY-MM-DD), only for a custom range" }),
  };
}

/** Cross-field rules that a JSON Schema form cannot express; attach with `.superRefine`. */
export function checkDateRange(value: DateRangeValue, ctx: z.RefinementCtx): void {
  const { dateRange, from, to } = value;
  if (dateRange !== "custom") {
    // A stray from/to would otherwise be silently ignored and surprise whoever set it.
    for (const key of ["from", "to"] as const) {
      if (value[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "Only allowed when dateRange is custom" });
    }
    return;
  }
  if (from === undefined) ctx.addIssue({ code: "custom", path: ["from"], message: "Required when dateRange is custom" });
  if (to === undefined) ctx.addIssue({ code: "custom", path: ["to"], message: "Required when dateRange is custom" });
  if (from === undefined || to === undefined) return;
  if (from > to) {
    ctx.addIssue({ code: "custom", path: ["to"], message: "Must be on or after from" });
  } else if (to > shiftYears(from, MAX_CUSTOM_YEARS)) {
    ctx.addIssue({ code: "custom", path: ["to"], message: `Must be at most ${MAX_CUSTOM_YEARS} years after from` });
  }
}

/** A standalone date-range parameter: `{ dateRange, from?, to? }`. */
export const dateRangeSchema = z.strictObject(dateRangeShape()).superRefine(checkDateRange);

/** The local calendar date (YYYY-MM-DD) of an instant in an IANA timezone. */
export function localDate(now: Date, timezone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: timezone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(now);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/** Calendar arithmetic on plain dates, done in UTC so no DST shift can move the day. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = splitDate(date);
  return formatUtc(new Date(Date.UTC(y, m - 1, d + days)));
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const [fy, fm, fd] = splitDate(from);
  const [ty, tm, td] = splitDate(to);
  return Math.round((Date.UTC(ty, tm - 1, td) - Date.UTC(fy, fm - 1, fd)) / 86_400_000);
}

/** Inclusive business dates of a range, as of `now` in `timezone`. */
export function resolveDateRange(range: DateRangeValue, now: Date, timezone: string): ResolvedDateRange {
  const today = localDate(now, timezone);
  const [from, to] = boundsOf(range, today);
  const label = range.dateRange === "custom" ? `${from} to ${to}` : `${LABELS[range.dateRange]} (${from === to ? from : `${from} to ${to}`})`;
  return { from, to, label };
}

function boundsOf(range: DateRangeValue, today: string): [string, string] {
  const [y, m] = splitDate(today);
  switch (range.dateRange) {
    case "today":
      return [today, today];
    case "yesterday":
      return [addDays(today, -1), addDays(today, -1)];
    case "last_7_days":
      return [addDays(today, -7), addDays(today, -1)];
    case "last_30_days":
      return [addDays(today, -30), addDays(today, -1)];
    case "last_month":
      return monthBounds(y, m - 1);
    case "month_to_date":
      return [monthBounds(y, m)[0], today];
    case "last_quarter": {
      const firstMonthOfQuarter = Math.floor((m - 1) / 3) * 3 + 1;
      return [monthBounds(y, firstMonthOfQuarter - 3)[0], monthBounds(y, firstMonthOfQuarter - 1)[1]];
    }
    case "year_to_date":
      return [`${pad(y, 4)}-01-01`, today];
    case "custom":
      if (!range.from || !range.to) throw new RangeError("A custom date range needs from and to");
      return [range.from, range.to];
  }
}

/** First and last day of a month; a month of 0 or less rolls into earlier years. */
function monthBounds(year: number, month: number): [string, string] {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const last = new Date(Date.UTC(year, month, 0));
  return [formatUtc(first), formatUtc(last)];
}

function shiftYears(date: string, years: number): string {
  return `${pad(Number(date.slice(0, 4)) + years, 4)}${date.slice(4)}`;
}

function splitDate(date: string): [number, number, number] {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`Not a YYYY-MM-DD date: ${date}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function formatUtc(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, "0");
}
