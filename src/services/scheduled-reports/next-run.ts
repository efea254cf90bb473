import { nextRunAfter } from "../../lib/schedule";

/** The next time an active report should run after `now`, or null when its schedule has ended. */
export function computeNextRunAt(r: { cron: string; timezone: string; startAt: Date | null; endAt: Date | null; isActive: boolean }, now: Date): Date | null {
  if (!r.isActive) return null;
  return nextRunAfter(r.cron, r.timezone, now, { startAt: r.startAt, endAt: r.endAt });
}
