import { and, eq, lt } from "drizzle-orm";
import { config } from "../../config";
import { createDb } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { log } from "../../lib/log";
import { MAX_GENERATION_ATTEMPTS } from "../generate/attempts";
import { failExecution } from "../generate/fail";
import { enqueueDeliveries, enqueueGeneration, type RunRef } from "../messages";

/** A queued run whose message has not arrived this long after it was due is sent again. */
const LOST_MESSAGE_GRACE_MS = 5 * 60_000;
const BATCH = 100;

/**
 * Runs in every scheduler tick. A run stuck in `running` past the working timeout (its Worker
 * crashed or was evicted) loses that attempt: it is queued again, or failed for good after the
 * last attempt, so a crashed run can never block its report. A `pending` run whose message was
 * lost (a tick that died between insert and send) is queued again. Both are harmless when the
 * original message turns up after all: the consumer only starts a `pending` run.
 */
export async function runWatchdog(env: Env, now: Date) {
  const db = createDb(env.DB);
  const { workingTimeoutMinutes } = config(env).scheduler;
  const timeoutMs = workingTimeoutMinutes * 60_000;
  const stuck = await db
    .select()
    .from(reportExecutions)
    .where(and(eq(reportExecutions.status, "running"), lt(reportExecutions.startedAt, new Date(now.getTime() - timeoutMs))))
    .limit(BATCH);
  const requeue: (RunRef & { attempt: number })[] = [];
  for (const e of stuck) {
    const reason = `Attempt ${e.attempt} did not finish within ${workingTimeoutMinutes} minutes`;
    if (e.attempt >= MAX_GENERATION_ATTEMPTS) {
      await failExecution(env, e, reason, "timeout", now);
      continue;
    }
    const [moved] = await db
      .update(reportExecutions)
      .set({ status: "pending", errorMessage: reason, errorClass: "timeout", nextAttemptAt: now })
      .where(and(eq(reportExecutions.id, e.id), eq(reportExecutions.status, "running"), eq(reportExecutions.attempt, e.attempt)))
      .returning();
    if (moved) requeue.push(moved);
  }

  // A pending run whose message is overdue, measured from when it was expected (its sending or its
  // retry), is sent again: once for that sending (recovered_for), at most BATCH a tick, oldest first.
  // next_attempt_at is left as it was, so a backlog neither hides from its alert nor breeds copies.
  const { results: lost } = await env.DB.prepare(
    `update report_executions set recovered_for = next_attempt_at
      where id in (select id from report_executions
                    where status = 'pending' and next_attempt_at < ?1
                      and (recovered_for is null or recovered_for < next_attempt_at)
                    order by next_attempt_at limit ?2)
      returning id, organization_id as organizationId, scheduled_report_id as scheduledReportId, trace_id as traceId, attempt, format`,
  )
    .bind(now.getTime() - LOST_MESSAGE_GRACE_MS, BATCH)
    .all<RunRef & { attempt: number }>();
  requeue.push(...lost);

  await enqueueGeneration(env, requeue);
  for (const e of requeue)
    log("warn", "watchdog re-queued a run", { executionId: e.id, organizationId: e.organizationId, traceId: e.traceId, attempt: e.attempt });
  const deliveries = await requeueLostDeliveries(env, now);
  return { failedOrRequeued: stuck.length, requeued: requeue.length, deliveriesRequeued: deliveries };
}

/**
 * A pending delivery whose message should have arrived well before now (its first message, or its
 * scheduled retry) is queued again, once per attempt (recovered_at_attempt), at most BATCH a tick;
 * the consumer's attempt guard keeps a late original harmless. Its next_attempt_at is not touched:
 * the watchdog's clock (the tick's time) must never push a waiting retry later.
 */
async function requeueLostDeliveries(env: Env, now: Date) {
  const cutoff = now.getTime() - LOST_MESSAGE_GRACE_MS;
  const { results } = await env.DB.prepare(
    `update report_deliveries set recovered_at_attempt = attempts
      where id in (select id from report_deliveries
                    where status = 'pending' and created_at < ?1 and coalesce(next_attempt_at, created_at) < ?1
                      and (recovered_at_attempt is null or recovered_at_attempt < attempts)
                    order by created_at limit ${BATCH})
      returning id, report_execution_id as executionId, organization_id as organizationId`,
  )
    .bind(cutoff)
    .all<{ id: string; executionId: string; organizationId: string }>();
  await enqueueDeliveries(
    env,
    results.map((d) => ({ ...d, recovered: true as const })),
  );
  for (const d of results) log("warn", "watchdog re-queued a delivery", { deliveryId: d.id, executionId: d.executionId, organizationId: d.organizationId });
  return results.length;
}
