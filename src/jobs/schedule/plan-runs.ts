import type { CatchUpPolicy } from "../../db/schema";
import { nextRunAfter, runsBetween } from "../../lib/schedule";

export type DueReport = {
  cron: string;
  timezone: string;
  catchUp: CatchUpPolicy;
  startAt: Date | null;
  endAt: Date | null;
  nextRunAt: Date;
};

export type RunPlan = {
  /** Scheduled-for times to execute now, oldest first (their original times, even when late). */
  runs: Date[];
  /** The latest time that fell due, run or skipped: becomes last_run_at. */
  lastDue: Date | null;
  nextRunAt: Date | null;
};

/**
 * Which runs a tick at `now` starts for a due report. Times no older than `graceMs` are on time
 * (a late or missed tick is not downtime). Older ones were missed, and the report's policy says
 * what happens: `skip` runs only an on-time one, `latest` runs the latest due time once, `all`
 * runs every missed time up to `cap` (the latest `cap` of them, oldest first).
 */
export function planRuns(report: DueReport, now: Date, opts: { graceMs: number; cap: number }): RunPlan {
  const bounds = { startAt: report.startAt, endAt: report.endAt };
  const from = new Date(report.nextRunAt.getTime() - 1);
  const latest = runsBetween(report.cron, report.timezone, from, now, 1, bounds);
  const lastDue = latest[0] ?? null;
  let runs: Date[];
  if (report.catchUp === "all") runs = runsBetween(report.cron, report.timezone, from, now, opts.cap, bounds);
  else if (report.catchUp === "latest") runs = latest;
  else runs = lastDue && now.getTime() - lastDue.getTime() <= opts.graceMs ? [lastDue] : [];
  return { runs, lastDue, nextRunAt: nextRunAfter(report.cron, report.timezone, now, bounds) };
}
