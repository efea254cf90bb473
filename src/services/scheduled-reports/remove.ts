import { scheduledReports } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireReportManager } from "../../domain/policy";
import type { ServiceContext } from "../context";
import { findScheduledReport, scopedReport } from "./find";

/** Executions and their files stay (no foreign key) until retention removes them. */
export async function removeScheduledReport({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const report = await findScheduledReport(ctx, id);
  requireReportManager(ctx.auth, report);
  await ctx.db.batch([
    ctx.db.delete(scheduledReports).where(scopedReport(ctx, id)),
    auditInsert(ctx, { type: "scheduled_report.deleted", targetType: "scheduled_report", targetId: id, data: { name: report.name } }),
  ]);
}
