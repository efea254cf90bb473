// What the charts show, computed from the API's answers: plain functions, tested without a canvas.
import type { Execution, ExecutionStatus, MetricsSeries } from "../api.ts";
import { formatHour, formatIn, formatShort, formatUtcDay } from "../time.ts";

const HOUR = 3_600_000;

export type SeriesStep = MetricsSeries["step"];

/** The ranges the monitoring page's charts offer, as kept in its URL (?range=7d). */
export const RANGES = [
  { value: "24h", label: "24 hours", days: 1 },
  { value: "7d", label: "7 days", days: 7 },
  { value: "30d", label: "30 days", days: 30 },
] as const;
export type Range = (typeof RANGES)[number];

/** The range a URL's ?range= names; the last 24 hours for none or one it does not know. */
export const rangeOf = (value: string | null): Range => RANGES.find((r) => r.value === value) ?? RANGES[0];

export interface Slot {
  /** Start of the hour or UTC day, ISO 8601 in UTC. */
  at: string;
  completed: number;
  failed: number;
  /** completed / (completed + failed), null for a slot without finished runs (a gap in the line). */
  successRate: number | null;
}

const stepMs = (step: SeriesStep) => (step === "hour" ? HOUR : 24 * HOUR);

/**
 * Every hour or day of the series' window, oldest first, up to the one `to` falls in, with the
 * API's run counts where it has a row and zeros where it has none (the API leaves out empty slots).
 */
export function seriesSlots(series: Pick<MetricsSeries, "from" | "to" | "step" | "runs">): Slot[] {
  const step = stepMs(series.step);
  const first = Math.floor(Date.parse(series.from) / step) * step;
  const count = Math.floor((Date.parse(series.to) - first) / step) + 1;
  const byAt = new Map(series.runs.map((r) => [Date.parse(r.at), r]));
  return Array.from({ length: Math.max(count, 0) }, (_, i) => {
    const at = first + i * step;
    const completed = byAt.get(at)?.completed ?? 0;
    const failed = byAt.get(at)?.failed ?? 0;
    return { at: new Date(at).toISOString(), completed, failed, successRate: completed + failed ? completed / (completed + failed) : null };
  });
}

/** A slot on a time axis: its hour for a day's window, day and hour for longer, the UTC day for days. */
export function slotLabel(at: string, step: SeriesStep, days: number, timeZone: string): string {
  if (step === "day") return formatUtcDay(at);
  return days <= 1 ? formatHour(at, timeZone) : formatShort(at, timeZone);
}

/** A slot in a table of the numbers: the hour with its zone, or the UTC day. */
export const slotTime = (at: string, step: SeriesStep, timeZone: string) => (step === "day" ? `${formatUtcDay(at)} (UTC)` : formatIn(at, timeZone));

/** Rows grouped by `key`, in the groups' name order (or `order`'s, for the names it lists). */
function groupRows<R>(rows: readonly R[], key: (row: R) => string, order: readonly string[] = []): [string, R[]][] {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...groups].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

/** One group's `value` at each slot (by start time), `empty` where the group has no row. */
function alignRows<R extends { at: string }, V>(slots: readonly { at: string }[], rows: readonly R[], value: (row: R) => V, empty: V): V[] {
  const byAt = new Map(rows.map((r) => [Date.parse(r.at), r]));
  return slots.map((s) => {
    const row = byAt.get(Date.parse(s.at));
    return row ? value(row) : empty;
  });
}

export interface DurationLine {
  reportType: string;
  /** Milliseconds at each slot; null where the type had no completed run. */
  p50: (number | null)[];
  p95: (number | null)[];
}

/** Each report type's run time percentiles at every slot, the types in name order. */
export function durationLines(series: Pick<MetricsSeries, "durations">, slots: readonly { at: string }[]): DurationLine[] {
  return groupRows(series.durations, (d) => d.reportType).map(([reportType, rows]) => ({
    reportType,
    p50: alignRows(slots, rows, (d) => d.p50, null),
    p95: alignRows(slots, rows, (d) => d.p95, null),
  }));
}

export interface DeliveryBars {
  /** Per channel (in the dashboard's order of channels), the deliveries sent at each slot. */
  sent: { channel: string; counts: number[] }[];
  /** Deliveries that failed or bounced at each slot, all channels together. */
  notDelivered: number[];
}

/** The deliveries at each slot: those sent, per channel, and those that failed or bounced. */
export function deliveryBars(series: Pick<MetricsSeries, "deliveries">, slots: readonly { at: string }[], channelOrder: readonly string[]): DeliveryBars {
  const notDeliveredAt = new Map<number, number>();
  for (const d of series.deliveries) notDeliveredAt.set(Date.parse(d.at), (notDeliveredAt.get(Date.parse(d.at)) ?? 0) + d.failed + d.bounced);
  const groups = groupRows(series.deliveries, (d) => d.channel, channelOrder);
  return {
    sent: groups.map(([channel, rows]) => ({ channel, counts: alignRows(slots, rows, (d) => d.sent, 0) })),
    notDelivered: slots.map((s) => notDeliveredAt.get(Date.parse(s.at)) ?? 0),
  };
}

export interface RunPoint {
  /** Scheduled-for time in ms since the epoch. */
  x: number;
  /** Duration in seconds; 0 for a run that has none (skipped, not finished). */
  y: number;
  id: string;
}

export type RunFields = Pick<Execution, "id" | "scheduledFor" | "status" | "durationMs">;

/** A report's runs grouped by status, oldest first, for the run timeline. */
export function runsByStatus(executions: readonly RunFields[]): Record<ExecutionStatus, RunPoint[]> {
  const groups: Record<ExecutionStatus, RunPoint[]> = { completed: [], failed: [], skipped: [], cancelled: [], pending: [], running: [] };
  const sorted = [...executions].sort((a, b) => Date.parse(a.scheduledFor) - Date.parse(b.scheduledFor));
  for (const e of sorted) groups[e.status].push({ x: Date.parse(e.scheduledFor), y: (e.durationMs ?? 0) / 1000, id: e.id });
  return groups;
}

/**
 * The time axis of the run timeline: the runs' span with a margin on each side, at least an hour
 * wide, so that a single run sits in the middle instead of stretching the axis over years.
 */
export function timeBounds(points: readonly { x: number }[]): { min: number; max: number } | undefined {
  if (!points.length) return undefined;
  const xs = points.map((p) => p.x);
  const first = Math.min(...xs);
  const last = Math.max(...xs);
  const margin = Math.max((last - first) * 0.05, HOUR / 2);
  return { min: first - margin, max: last + margin };
}
