// What the charts show, computed from the API's answers: plain functions, tested without a canvas.
import type { Execution, ExecutionStatus, Metrics } from "../api.ts";

const HOUR = 3_600_000;

export interface HourSlot {
  /** Start of the hour, ISO 8601 in UTC. */
  hour: string;
  completed: number;
  failed: number;
  /** completed / (completed + failed), null for an hour without finished runs. */
  successRate: number | null;
}

/**
 * The 24 hours up to the one `generatedAt` falls in, oldest first, with the API's counts where it
 * has a row for the hour and zeros where it has none (the API leaves out empty hours).
 */
export function hourlySlots(metrics: Pick<Metrics, "generatedAt" | "timeline">): HourSlot[] {
  const last = Math.floor(Date.parse(metrics.generatedAt) / HOUR) * HOUR;
  const byHour = new Map(metrics.timeline.map((t) => [Math.floor(Date.parse(t.hour) / HOUR) * HOUR, t]));
  return Array.from({ length: 24 }, (_, i) => {
    const at = last - (23 - i) * HOUR;
    const row = byHour.get(at);
    const completed = row?.completed ?? 0;
    const failed = row?.failed ?? 0;
    return { hour: new Date(at).toISOString(), completed, failed, successRate: completed + failed ? completed / (completed + failed) : null };
  });
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
