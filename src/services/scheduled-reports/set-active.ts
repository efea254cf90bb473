import { scheduledReports } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireReportManager } from "../../domain/policy";
import type { ServiceContext } from "../context";
import { toScheduledReportDto } from "./dto";
import { findScheduledReport, scopedReport } from "./find";
import { computeNextRunAt } from "./next-run";
import { activeReportCount, reportCount, reportQuotas, requireActiveReportRoom, requireDefinitionWithinQuotas, requireReportRoom } from "./quotas";

/**
 * Pause clears next_run_at; resume recomputes it from now, so the runs missed while paused are
 * not caught up (pausing is a choice, not downtime). Repeating either is harmless. Resuming is
 * held to the quotas (active reports, all reports, and the report's own recipients and schedule).
 */
export async function setScheduledReportActive({ ctx, id, active }: { ctx: ServiceContext; id: string; active: boolean }) {
  const report = await findScheduledReport(ctx, id);
  requireReportManager(ctx.auth, report);
  if (report.isActive === active) return toScheduledReportDto(report);
  if (active) {
    // Resuming puts the report back to work: it must fit the quotas in force now.
    const quotas = await reportQuotas(ctx);
    await requireDefinitionWithinQuotas(ctx, quotas, report);
    await requireActiveReportRoom(ctx, quotas, await activeReportCount(ctx, id));
    // An organization over its report quota (lowered by the operator) deletes before it resumes.
    await requireReportRoom(ctx, quotas, await reportCount(ctx), 0);
  }
  const next = { ...report, isActive: active, updatedAt: ctx.now };
  next.nextRunAt = computeNextRunAt(next, ctx.now);
  await ctx.db.batch([
    ctx.db.update(scheduledReports).set({ isActive: active, nextRunAt: next.nextRunAt, updatedAt: ctx.now }).where(scopedReport(ctx, id)),
    auditInsert(ctx, { type: active ? "scheduled_report.resumed" : "scheduled_report.paused", targetType: "scheduled_report", targetId: id }),
  ]);
  return toScheduledReportDto(next);
}
