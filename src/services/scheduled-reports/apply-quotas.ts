import type { ServiceContext } from "../context";
import type { ScheduledReportRow } from "./dto";
import { normalizeSchedule } from "./normalize";
import { reportQuotas, requireActiveReportRoom, requireDefinitionWithinQuotas, requireReportRoom } from "./quotas";

type Step = {
  action: "create" | "adopt" | "update" | "delete" | "unchanged";
  /** The entry's place in the document. */
  index?: number;
  entry?: { recipients: unknown[]; schedule: Parameters<typeof normalizeSchedule>[0]; isActive: boolean };
  report?: ScheduledReportRow;
  changes?: Record<string, unknown>;
};

/**
 * A whole schedules-as-code plan against the quotas, before any of it runs, so that a document
 * over a quota changes nothing: each created or changed report's recipients and schedule, and the
 * number of active reports and of all reports once every step is done (a plan may replace reports
 * one for one at a limit; it may not end with more than a limit allows, unless it adds none).
 * `rows` are all the organization's reports (keyed or not).
 */
export async function requirePlanWithinQuotas(ctx: ServiceContext, rows: ScheduledReportRow[], plan: Step[]) {
  const quotas = await reportQuotas(ctx);
  const active = new Set(rows.filter((r) => r.isActive).map((r) => r.id));
  const before = active.size;
  let created = 0;
  let createdAll = 0;
  let deleted = 0;
  for (const step of plan) {
    const { entry, report, changes } = step;
    const prefix = `reports.${step.index}.`;
    if (step.action === "delete" && report) {
      active.delete(report.id);
      deleted++;
    }
    if (step.action === "create" && entry) {
      await requireDefinitionWithinQuotas(ctx, quotas, { recipients: entry.recipients, cron: normalizeSchedule(entry.schedule).cron }, prefix);
      if (entry.isActive) created++;
      createdAll++;
    }
    if ((step.action === "update" || step.action === "adopt") && entry && report && changes) {
      await requireDefinitionWithinQuotas(
        ctx,
        quotas,
        {
          recipients: "recipients" in changes ? entry.recipients : undefined,
          cron: "schedule" in changes ? normalizeSchedule(entry.schedule).cron : undefined,
        },
        prefix,
      );
      if ("isActive" in changes) {
        if (entry.isActive) active.add(report.id);
        else active.delete(report.id);
      }
    }
  }
  const after = active.size + created;
  if (after > before) await requireActiveReportRoom(ctx, quotas, before, after - before);
  const total = rows.length + createdAll - deleted;
  if (total > rows.length) await requireReportRoom(ctx, quotas, rows.length, total - rows.length);
}
