import { and, eq, inArray } from "drizzle-orm";
import { reportExecutions } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireReportManager, requireRole } from "../../domain/policy";
import { reportLock } from "../../durable-objects/report-lock-stub";
import { ConflictError } from "../../errors";
import type { ServiceContext } from "../context";
import { findScheduledReport } from "../scheduled-reports/find";
import { toExecutionDto } from "./dto";
import { findExecution } from "./find";

/**
 * Stops a pending or running execution: it becomes `cancelled`, the report's lock is released so the
 * next run may go, and it delivers nothing. A consumer still working on it finds it no longer
 * `running` when it finishes and discards its file (every transition is guarded on the status).
 * Whoever manages the report may cancel; a run of a deleted report, only an admin.
 */
export async function cancelExecution({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const execution = await findExecution(ctx, id);
  const report = await findScheduledReport(ctx, execution.scheduledReportId).catch(() => null);
  if (report) requireReportManager(ctx.auth, report);
  else requireRole(ctx.auth, "admin");
  if (execution.status !== "pending" && execution.status !== "running") {
    throw new ConflictError(`This execution is ${execution.status}; only a pending or running one can be cancelled`);
  }
  const reason = `Cancelled by ${ctx.auth.apiKeyId ? "an API key" : "a user"} at ${ctx.now.toISOString()}`;
  const [update] = await ctx.db.batch([
    ctx.db
      .update(reportExecutions)
      .set({ status: "cancelled", completedAt: ctx.now, nextAttemptAt: null, errorMessage: reason })
      .where(
        and(
          eq(reportExecutions.id, id),
          eq(reportExecutions.organizationId, ctx.auth.organizationId),
          inArray(reportExecutions.status, ["pending", "running"]),
        ),
      )
      .returning(),
    auditInsert(ctx, { type: "report_execution.cancelled", targetType: "report_execution", targetId: id, data: { from: execution.status } }),
  ]);
  const [cancelled] = update;
  if (!cancelled) throw new ConflictError("This execution finished while it was being cancelled");
  await reportLock(ctx.env, execution.scheduledReportId).release(id);
  return toExecutionDto(cancelled);
}
