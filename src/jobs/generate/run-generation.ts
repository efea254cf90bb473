import { and, eq } from "drizzle-orm";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { auditInsert, systemActor } from "../../domain/audit";
import { reportLock } from "../../durable-objects/report-lock";
import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import type { GenerationJob } from "../messages";
import { done, failedForGood, type JobOutcome, retryIn } from "../outcome";
import { lockStaleAfterMs, MAX_GENERATION_ATTEMPTS, retryDelayAfter } from "./attempts";
import { classifyFailure } from "./classify";
import { completeExecution } from "./complete";
import { failExecution } from "./fail";
import { produceReportFile } from "./produce-file";

type Execution = typeof reportExecutions.$inferSelect;

/**
 * One delivery of a generation message. Every step is guarded so that a redelivered message is
 * harmless: only a `pending` execution starts, only the lock holder runs, and only a `running`
 * execution is completed or failed.
 */
export async function runGeneration(env: Env, job: GenerationJob, now: Date): Promise<JobOutcome> {
  const db = createDb(env.DB);
  const scoped = and(eq(reportExecutions.id, job.executionId), eq(reportExecutions.organizationId, job.organizationId));
  const [execution] = await db.select().from(reportExecutions).where(scoped);
  if (!execution) return failedForGood("lost", "No such execution in this organization", false);
  const fields = {
    executionId: execution.id,
    scheduledReportId: execution.scheduledReportId,
    organizationId: execution.organizationId,
    traceId: execution.traceId,
  };
  if (execution.status !== "pending") {
    log("info", "generation message for an execution that is not pending: ignored", { ...fields, status: execution.status });
    return done(`execution is ${execution.status}`);
  }

  const lock = reportLock(env, execution.scheduledReportId);
  const claim = await lock.claim(execution.id, execution.scheduledFor.getTime(), now.getTime(), lockStaleAfterMs(config(env)));
  if (claim.outcome === "busy") {
    await skipExecution(db, execution, claim.heldBy, now);
    log("warn", "run skipped: an earlier run of this report is still going", { ...fields, heldBy: claim.heldBy.executionId });
    return done("skipped: the report was busy");
  }

  const [started] = await db
    .update(reportExecutions)
    .set({ status: "running", startedAt: now, attempt: execution.attempt + 1, nextAttemptAt: null })
    .where(and(scoped, eq(reportExecutions.status, "pending")))
    .returning();
  if (!started) return done("another consumer started this run");
  await auditInsert(systemActor(db, now, started), {
    type: "report_execution.started",
    targetType: "report_execution",
    targetId: started.id,
    data: { attempt: started.attempt, trigger: started.trigger },
  });
  log("info", "generation started", { ...fields, attempt: started.attempt });

  try {
    const file = await produceReportFile(env, started, now);
    await completeExecution(env, db, started, file, new Date());
    await lock.release(started.id);
    return done("completed");
  } catch (err) {
    const message = errorMessage(err);
    const { errorClass, retryable } = classifyFailure(err);
    const retry = retryable && started.attempt < MAX_GENERATION_ATTEMPTS;
    log(retry ? "warn" : "error", "generation attempt failed", {
      ...fields,
      attempt: started.attempt,
      error: message,
      stack: err instanceof Error ? err.stack : undefined,
      retry,
    });
    if (retry) {
      const delaySeconds = retryDelayAfter(started.attempt);
      await db
        .update(reportExecutions)
        .set({
          status: "pending",
          errorMessage: `Attempt ${started.attempt} failed: ${message}`,
          errorClass,
          nextAttemptAt: new Date(Date.now() + delaySeconds * 1000),
        })
        .where(and(scoped, eq(reportExecutions.status, "running")));
      return retryIn(delaySeconds, `attempt ${started.attempt} failed`);
    }
    await failExecution(env, started, message, errorClass, new Date());
    return failedForGood(errorClass, message);
  }
}

async function skipExecution(db: Db, execution: Execution, heldBy: { executionId: string; scheduledFor: number }, now: Date) {
  const reason = `Skipped: the run for ${new Date(heldBy.scheduledFor).toISOString()} (execution ${heldBy.executionId}) was still going`;
  await db.batch([
    db
      .update(reportExecutions)
      .set({ status: "skipped", errorMessage: reason, completedAt: now, nextAttemptAt: null })
      .where(and(eq(reportExecutions.id, execution.id), eq(reportExecutions.status, "pending"))),
    auditInsert(systemActor(db, now, execution), {
      type: "report_execution.skipped",
      targetType: "report_execution",
      targetId: execution.id,
      data: { heldBy: heldBy.executionId },
    }),
  ]);
}
