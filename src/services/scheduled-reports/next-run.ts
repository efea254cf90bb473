import { isEventSchedule, type ScheduleConfig } from "../../db/schema";
import { nextRunAfter } from "../../lib/schedule";

type Timing = { scheduleConfig: ScheduleConfig; cron: string; timezone: string; startAt: Date | null; endAt: Date | null; isActive: boolean };

/**
 * The next time the scheduler looks at an active report after `now`, or null when its schedule has
 * ended. For a report run by a trigger that is its next deadline (none without a deadline).
 */
export function computeNextRunAt(r: Timing, now: Date): Date | null {
  if (!r.isActive) return null;
  if (isEventSchedule(r.scheduleConfig) && !r.scheduleConfig.deadline) return null;
  return nextRunAfter(r.cron, r.timezone, now, { startAt: r.startAt, endAt: r.endAt });
}
