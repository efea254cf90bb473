import { and, count, desc, eq, gt, isNull, lt, ne, or, sql } from "drizzle-orm";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { organizationQuotas, organizations, organizationUsage, reportExecutions, scheduledReports } from "../../db/schema";
import { toStatement } from "../../db/statements";
import { auditInsert, auditInsertIf, systemActor } from "../../domain/audit";
import { quotasFrom } from "../../domain/quotas";
import { reportLock } from "../../durable-objects/report-lock-stub";
import { errorMessage, permanent } from "../../errors";
import { log } from "../../lib/log";
import { checkRowCount } from "../alerts/suspicious-empty";
import { deferGeneration, type GenerationJob } from "../messages";
import { done, failedForGood, type JobOutcome, retryIn } from "../outcome";
import { lockStaleAfterMs, MAX_GENERATION_ATTEMPTS, retryDelayAfter } from "./attempts";
import { classifyFailure } from "./classify";
import { completeExecution } from "./complete";
import { failExecution } from "./fail";
import { produceReportFile } from "./produce-file";
import { requireStorageRoom } from "./storage-quota";

type Execution = typeof reportExecutions.$inferSelect;

/** How long a run waiting for its turn waits before it looks again. */
export const WAIT_FOR_TURN_SECONDS = 30;

/**
 * One delivery of a generation message. Every step is guarded so that a redelivered message is
 * harmless: only a `pending` execution starts, only the lock holder runs, and only a `running`
 * execution is completed or failed.
 *
 * Runs of one report go one at a time, oldest scheduled-for first: a run that finds the report's lock
 * taken, or an earlier run of its report still waiting, waits for its turn (a new message in 30 s).
 * The one exception is the coalescing the README promises: a scheduled run that fell due while the
 * previous run was already going (it held the lock before this run's time) is recorded as skipped.
 */
export async function runGeneration(env: Env, job: GenerationJob, now: Date): Promise<JobOutcome> {
  const db = createDb(env.DB);
  const cfg = config(env);
  const alive = new Date(now.getTime() - lockStaleAfterMs(cfg));
  const { execution, earlier, source, runningInOrganization, overrides, storageBytes } = await loadRun(db, job, alive);
  const { quotas } = quotasFrom(env, overrides);
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
  // Oldest first: an earlier run still waiting (for its message or its retry) goes before this one.
  if (earlier?.status === "pending") return waitForTurn(env, db, job, execution, now, `the earlier run ${earlier.id} has not finished`);
  // Fair sharing: an organization with its share of runs already generating (the concurrentRuns quota) waits, so that its
  // flood of runs never holds back another organization's (whose messages come next in the queue).
  if (runningInOrganization >= quotas.concurrentRuns) {
    return waitForTurn(env, db, job, execution, now, `the organization already has ${runningInOrganization} runs generating`);
  }

  const lock = reportLock(env, execution.scheduledReportId);
  const claim = await lock.claim(execution.id, execution.scheduledFor.getTime(), now.getTime(), lockStaleAfterMs(cfg));
  if (claim.outcome === "busy") {
    // A scheduled run that fell due while the previous run was already going is coalesced into it.
    if (execution.trigger === "schedule" && claim.heldBy.claimedAt <= execution.scheduledFor.getTime()) {
      await skipExecution(db, execution, claim.heldBy, now);
      log("warn", "run skipped: the previous run of this report was still going when it fell due", { ...fields, heldBy: claim.heldBy.executionId });
      return done("skipped: the report was busy");
    }
    return waitForTurn(env, db, job, execution, now, `the run ${claim.heldBy.executionId} holds the report`);
  }
  if (earlier) {
    // The lock was free, yet an earlier run is still going by the database (its lock went stale or was lost).
    await lock.release(execution.id);
    return waitForTurn(env, db, job, execution, now, `the earlier run ${earlier.id} has not finished`);
  }

  // Started and audited in one round trip; the audit row is written only if this attempt started it.
  const attempt = execution.attempt + 1;
  const scoped = and(eq(reportExecutions.id, execution.id), eq(reportExecutions.organizationId, execution.organizationId));
  const [update] = await env.DB.batch([
    toStatement(
      env.DB,
      db
        .update(reportExecutions)
        .set({ status: "running", startedAt: now, attempt, nextAttemptAt: null })
        .where(and(scoped, eq(reportExecutions.status, "pending"))),
    ),
    auditInsertIf(
      env.DB,
      systemActor(db, now, execution),
      { type: "report_execution.started", targetType: "report_execution", targetId: execution.id, data: { attempt, trigger: execution.trigger } },
      "exists (select 1 from report_executions where id = ? and status = 'running' and attempt = ? and started_at = ?)",
      execution.id,
      attempt,
      now.getTime(),
    ),
  ]);
  const started = update?.meta.changes ? { ...execution, status: "running" as const, startedAt: now, attempt, nextAttemptAt: null } : null;
  if (!started) return done("another consumer started this run");
  log("info", "generation started", { ...fields, attempt: started.attempt });

  try {
    if (!source) throw permanent("The scheduled report was deleted before it ran");
    await requireStorageRoom(env, started, quotas, now, storageBytes);
    const file = await produceReportFile(env, db, started, source, now);
    await completeExecution(env, db, started, file, new Date());
    await lock.release(started.id);
    await checkRowCount(env, started, source.report.name, file.rowCount, new Date());
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
      // A run waiting for its retry does not hold the report: nothing else runs before it anyway
      // (later runs wait for earlier ones), and a lock that outlives a crash helps nobody.
      await lock.release(started.id);
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
    if (errorClass === "empty_result" && source) await checkRowCount(env, started, source.report.name, 0, new Date());
    return failedForGood(errorClass, message);
  }
}

/**
 * Everything a run needs to decide and to start, in one round trip: the execution, an earlier run
 * of its report still waiting or running (one the watchdog already sent again, still not started
 * longer than a lock is trusted, does not hold later runs back forever), the report with its
 * organization, how many runs the organization has generating, its quota overrides and the bytes it stores.
 */
async function loadRun(db: Db, job: GenerationJob, alive: Date) {
  // Separate selects, not a join: a batch reads rows as objects, where the tables' shared column
  // names (id, name, created_at) would collide.
  const [executions, earlier, reports, orgs, running, quotas, usage] = await db.batch([
    db
      .select()
      .from(reportExecutions)
      .where(and(eq(reportExecutions.id, job.executionId), eq(reportExecutions.organizationId, job.organizationId))),
    db
      .select({ id: reportExecutions.id, status: reportExecutions.status })
      .from(reportExecutions)
      .where(
        and(
          eq(reportExecutions.scheduledReportId, job.scheduledReportId),
          lt(reportExecutions.scheduledFor, sql`(select scheduled_for from report_executions where id = ${job.executionId})`),
          or(
            and(
              eq(reportExecutions.status, "pending"),
              or(
                gt(reportExecutions.nextAttemptAt, alive),
                isNull(reportExecutions.recoveredFor),
                ne(reportExecutions.recoveredFor, reportExecutions.nextAttemptAt),
              ),
            ),
            and(eq(reportExecutions.status, "running"), gt(reportExecutions.startedAt, alive)),
          ),
        ),
      )
      // A waiting one first: it decides before the lock is asked.
      .orderBy(desc(eq(reportExecutions.status, "pending")))
      .limit(1),
    db
      .select()
      .from(scheduledReports)
      .where(and(eq(scheduledReports.id, job.scheduledReportId), eq(scheduledReports.organizationId, job.organizationId))),
    db.select().from(organizations).where(eq(organizations.id, job.organizationId)),
    db
      .select({ n: count() })
      .from(reportExecutions)
      .where(and(eq(reportExecutions.organizationId, job.organizationId), eq(reportExecutions.status, "running"))),
    // The operator's overrides of the organization's quotas, if any (concurrent runs, storage).
    db.select().from(organizationQuotas).where(eq(organizationQuotas.organizationId, job.organizationId)),
    // The bytes its files take, for the storage check (a row not created yet is read, and created, by the check).
    db.select({ storageBytes: organizationUsage.storageBytes }).from(organizationUsage).where(eq(organizationUsage.organizationId, job.organizationId)),
  ]);
  const execution = executions[0];
  // A message names its execution's report; one that does not is not this execution's.
  const ok = execution && execution.scheduledReportId === job.scheduledReportId;
  const report = reports[0];
  const organization = orgs[0];
  return {
    execution: ok ? execution : undefined,
    earlier: earlier[0],
    source: report && organization ? { report, organization } : undefined,
    runningInOrganization: running[0]?.n ?? 0,
    overrides: quotas[0] ?? null,
    storageBytes: usage[0]?.storageBytes,
  };
}

/**
 * Not this run's turn yet: a fresh message later (so waiting uses none of the queue's retries), and
 * the expected start moved with it so the watchdog does not take the wait for a lost message.
 */
async function waitForTurn(env: Env, db: Db, job: GenerationJob, execution: Execution, now: Date, reason: string): Promise<JobOutcome> {
  await db
    .update(reportExecutions)
    .set({ nextAttemptAt: new Date(now.getTime() + WAIT_FOR_TURN_SECONDS * 1000) })
    .where(and(eq(reportExecutions.id, execution.id), eq(reportExecutions.status, "pending")));
  await deferGeneration(env, job, WAIT_FOR_TURN_SECONDS);
  log("info", "run waits for its turn", { executionId: execution.id, scheduledReportId: execution.scheduledReportId, traceId: execution.traceId, reason });
  return done(`waiting: ${reason}`);
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
