import { isEventSchedule, type reportExecutions, type ScheduleConfig, type scheduledReports } from "../../db/schema";
import { describeSchedule } from "../../lib/schedule";

export type ScheduledReportRow = typeof scheduledReports.$inferSelect;
export type ExecutionRow = typeof reportExecutions.$inferSelect;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toExecutionSummary = (e: ExecutionRow) => ({
  id: e.id,
  scheduledFor: e.scheduledFor.toISOString(),
  trigger: e.trigger,
  status: e.status,
  attempt: e.attempt,
  startedAt: iso(e.startedAt),
  completedAt: iso(e.completedAt),
  durationMs: e.durationMs,
  rowCount: e.rowCount,
  fileSize: e.fileSize,
  format: e.format,
  errorMessage: e.errorMessage,
  dataAsOf: iso(e.dataAsOf),
  deliverySkipped: e.deliverySkipped ? { reason: e.deliverySkipped } : null,
});

export function toScheduledReportDto(r: ScheduledReportRow, lastExecution?: ExecutionRow | null) {
  return {
    id: r.id,
    name: r.name,
    key: r.key,
    reportType: r.reportType,
    parameters: r.parameters,
    format: r.format,
    schedule: {
      ...r.scheduleConfig,
      cron: r.cron,
      timezone: r.timezone,
      startAt: iso(r.startAt),
      endAt: iso(r.endAt),
      catchUp: r.catchUp,
      description: describeReportSchedule(r.scheduleConfig, r.cron, r.timezone),
    },
    recipients: r.recipients,
    compress: r.compress,
    deliverWhen: r.deliverWhen,
    emptyResult: r.emptyResult,
    triggerParameters: r.triggerParameters,
    isActive: r.isActive,
    nextRunAt: iso(r.nextRunAt),
    lastRunAt: iso(r.lastRunAt),
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    ...(lastExecution !== undefined ? { lastExecution: lastExecution ? toExecutionSummary(lastExecution) : null } : {}),
  };
}

/** The schedule in words; a triggered report says what happens when the data is late. */
export function describeReportSchedule(config: ScheduleConfig, cron: string, timezone: string): string {
  if (!isEventSchedule(config)) return describeSchedule(cron, timezone);
  const base = "When its data is ready (the first trigger each day)";
  if (!config.deadline) return `${base}, ${timezone}`;
  const fallback = config.onMissedDeadline === "alert" ? "its owner is told" : "it runs anyway";
  return `${base}; if no trigger came by ${config.deadline} ${timezone}, ${fallback}`;
}
