import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import { reportDeliveries, reportExecutions } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireReportManager } from "../../domain/policy";
import { enforceRateLimit } from "../../domain/rate-limit";
import { ConflictError } from "../../errors";
import { enqueueGeneration, enqueuePendingDeliveries } from "../../jobs/messages";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";
import { findExecution } from "./find";

/**
 * Retries a failed (or skipped, or cancelled) execution with a fresh set of attempts, or, for a completed one,
 * its failed deliveries (bounced addresses stay bounced, cancelled ones cancelled). The status guards make a double click
 * one retry.
 */
export async function retryExecution({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const execution = await findExecution(ctx, id);
  const report = await findScheduledReport(ctx, execution.scheduledReportId).catch(() => {
    throw new ConflictError("The scheduled report of this execution was deleted; it cannot run again");
  });
  requireReportManager(ctx.auth, report);
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "runs for your organization");
  const target = { targetType: "report_execution", targetId: id };

  if (execution.status === "failed" || execution.status === "skipped" || execution.status === "cancelled") {
    const [reset] = await ctx.db.batch([
      ctx.db
        .update(reportExecutions)
        .set({
          status: "pending",
          trigger: "retry",
          triggeredBy: ctx.auth.actorId,
          attempt: 0,
          errorMessage: null,
          errorClass: null,
          startedAt: null,
          completedAt: null,
          durationMs: null,
          nextAttemptAt: ctx.now,
        })
        .where(and(eq(reportExecutions.id, id), eq(reportExecutions.status, execution.status)))
        .returning(),
      auditInsert(ctx, { type: "report_execution.retried", ...target, data: { previousStatus: execution.status } }),
    ]);
    if (!reset.length) throw new ConflictError("The execution changed while you asked; reload and try again");
    await enqueueGeneration(ctx.env, [execution]);
    return { executionId: id, retried: "execution" as const, deliveries: 0 };
  }

  if (execution.status === "completed") {
    const [reset] = await ctx.db.batch([
      ctx.db
        .update(reportDeliveries)
        .set({ status: "pending", attempts: 0, lastError: null, updatedAt: ctx.now })
        .where(
          and(
            eq(reportDeliveries.executionId, id),
            eq(reportDeliveries.organizationId, ctx.auth.organizationId),
            inArray(reportDeliveries.status, ["failed"]),
            // A delivery cancelled because its recipient left the report is not sent again.
            or(isNull(reportDeliveries.failureClass), ne(reportDeliveries.failureClass, "recipient_removed")),
          ),
        )
        .returning({ id: reportDeliveries.id }),
      auditInsert(ctx, { type: "report_execution.retried", ...target, data: { deliveries: true } }),
    ]);
    if (!reset.length) throw new ConflictError("Nothing to retry: the execution completed and none of its deliveries failed");
    await enqueuePendingDeliveries(ctx.env, execution);
    return { executionId: id, retried: "deliveries" as const, deliveries: reset.length };
  }

  throw new ConflictError(`Only failed or skipped executions, or failed deliveries, can be retried (this one is ${execution.status})`);
}
