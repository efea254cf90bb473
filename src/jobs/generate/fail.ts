import { and, eq, inArray } from "drizzle-orm";
import { createDb } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { auditInsert, systemActor } from "../../domain/audit";
import { reportLock } from "../../durable-objects/report-lock-stub";
import type { ErrorClass } from "../../errors";
import { enqueueExecutionFailedNotice } from "../messages";

type Execution = typeof reportExecutions.$inferSelect;

/**
 * Fails an execution for good: recorded with its reason, the report's lock released, and its
 * creator told (a job the delivery consumer's email channel sends). Only a pending or running
 * execution can fail, so a repeat does nothing.
 */
export async function failExecution(env: Env, execution: Execution, reason: string, errorClass: ErrorClass, now: Date) {
  const db = createDb(env.DB);
  const [update] = await db.batch([
    db
      .update(reportExecutions)
      .set({
        status: "failed",
        errorMessage: reason,
        errorClass,
        completedAt: now,
        nextAttemptAt: null,
        durationMs: execution.startedAt ? now.getTime() - execution.startedAt.getTime() : null,
      })
      .where(and(eq(reportExecutions.id, execution.id), inArray(reportExecutions.status, ["pending", "running"]))),
    auditInsert(systemActor(db, now, execution), {
      type: "report_execution.failed",
      targetType: "report_execution",
      targetId: execution.id,
      data: { reason, errorClass, attempt: execution.attempt },
    }),
  ]);
  await reportLock(env, execution.scheduledReportId).release(execution.id);
  if ((update as D1Result).meta.changes === 0) return;
  await enqueueExecutionFailedNotice(env, execution);
}
