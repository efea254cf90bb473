import { and, eq } from "drizzle-orm";
import { reportExecutions } from "../../db/schema";
import { requireReportManager } from "../../domain/policy";
import { enforceRateLimit } from "../../domain/rate-limit";
import { enqueueGeneration } from "../../jobs/messages";
import { newId } from "../../lib/ids";
import { newTraceId } from "../../lib/trace";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";

/**
 * "Run now": an execution outside the schedule, through the same queue, lock and consumer as a
 * scheduled one. Two presses in the same millisecond are one run (the unique report + time key).
 */
export async function runNow({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const report = await findScheduledReport(ctx, id);
  requireReportManager(ctx.auth, report);
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "runs for your organization");
  const execution = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    scheduledReportId: report.id,
    scheduledFor: ctx.now,
    trigger: "manual" as const,
    triggeredBy: ctx.auth.actorId,
    status: "pending" as const,
    format: report.format,
    traceId: newTraceId(),
    nextAttemptAt: ctx.now,
    createdAt: ctx.now,
  };
  const [inserted] = await ctx.db.insert(reportExecutions).values(execution).onConflictDoNothing().returning({ id: reportExecutions.id });
  if (!inserted) {
    const [existing] = await ctx.db
      .select({ id: reportExecutions.id })
      .from(reportExecutions)
      .where(and(eq(reportExecutions.scheduledReportId, report.id), eq(reportExecutions.scheduledFor, ctx.now)));
    return { executionId: existing!.id };
  }
  await enqueueGeneration(ctx.env, [{ ...execution, id: execution.id }]);
  return { executionId: execution.id };
}
