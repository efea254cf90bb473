import { and, eq } from "drizzle-orm";
import { reportExecutions, type Trigger } from "../../db/schema";
import { enqueueGeneration } from "../../jobs/messages";
import { newId } from "../../lib/ids";
import { newTraceId } from "../../lib/trace";
import type { ServiceContext } from "../context";

type RunFields = { scheduledFor: Date; trigger: Trigger; parameterOverrides?: Record<string, unknown> | null; dataAsOf?: Date | null };

/**
 * A pending run of the report at `scheduledFor`, queued for the generation consumer. The unique
 * (report, scheduled_for) key makes a second request for the same time the same run: it is returned
 * with `started: false` and nothing is queued again.
 */
export async function startRun(
  ctx: ServiceContext,
  report: { id: string; format: typeof reportExecutions.$inferSelect.format; lastRowCount: number | null },
  run: RunFields,
) {
  const execution = {
    id: newId(),
    organizationId: ctx.auth.organizationId,
    scheduledReportId: report.id,
    ...run,
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
      .where(and(eq(reportExecutions.scheduledReportId, report.id), eq(reportExecutions.scheduledFor, run.scheduledFor)));
    return { executionId: existing!.id, started: false };
  }
  await enqueueGeneration(ctx.env, [{ ...execution, lastRowCount: report.lastRowCount }]);
  return { executionId: execution.id, started: true };
}
