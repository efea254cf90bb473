import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { type ExecutionStatus, reportExecutions, scheduledReports } from "../../db/schema";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";
import { toExecutionDto } from "./dto";

export type ListExecutionsInput = {
  limit: number;
  cursor?: string;
  status?: ExecutionStatus;
  from?: string;
  to?: string;
  scheduledReportId?: string;
};

/**
 * A history: newest first by the time each run was scheduled for (then id), so catch-up runs created
 * in one tick come back in their order, and a date filter means "runs scheduled in that period".
 */
export async function listExecutions({ ctx, input }: { ctx: ServiceContext; input: ListExecutionsInput }) {
  if (input.scheduledReportId) await findScheduledReport(ctx, input.scheduledReportId);
  const cursor = decodeCursor(input.cursor);
  const where: (SQL | undefined)[] = [eq(reportExecutions.organizationId, ctx.auth.organizationId)];
  if (input.scheduledReportId) where.push(eq(reportExecutions.scheduledReportId, input.scheduledReportId));
  if (input.status) where.push(eq(reportExecutions.status, input.status));
  if (input.from) where.push(gte(reportExecutions.scheduledFor, new Date(input.from)));
  if (input.to) where.push(lt(reportExecutions.scheduledFor, new Date(input.to)));
  where.push(olderThan(reportExecutions.scheduledFor, reportExecutions.id, cursor));
  const rows = await ctx.db
    .select({ execution: reportExecutions, reportName: scheduledReports.name })
    .from(reportExecutions)
    .leftJoin(scheduledReports, eq(scheduledReports.id, reportExecutions.scheduledReportId))
    .where(and(...where))
    .orderBy(desc(reportExecutions.scheduledFor), desc(reportExecutions.id))
    .limit(input.limit + 1);
  const page = pageOf(
    rows.map((r) => ({ ...r.execution, reportName: r.reportName })),
    input.limit,
    (e) => e.scheduledFor,
  );
  return { items: page.items.map((e) => toExecutionDto(e, { reportName: e.reportName })), nextCursor: page.nextCursor };
}
