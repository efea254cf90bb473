import { config } from "../../config";
import { effectiveQuotaSql } from "../../domain/quotas";
import { filesExpiredStatement } from "../../domain/usage";
import { log } from "../../lib/log";
import { type AuditArchiveResult, archiveAuditEvents } from "./archive-audit";
import { expireTestFiles } from "./test-files";

const DAY = 86_400_000;

/** How much one pass may do; what is left is done by the next tick's pass (see runRetention). */
export const RETENTION_LIMITS = {
  /** Batches of each kind a pass runs at most. */
  batches: 20,
  /** Files deleted a batch: R2 deletes up to 1,000 keys per call. */
  fileBatch: 1000,
  /** Executions deleted a statement; each takes its deliveries and their attempts along (cascade). */
  executionBatch: 2000,
  /** Delivery attempts deleted a statement (one indexed range, a short write transaction). */
  attemptBatch: 10_000,
};
export type RetentionLimits = typeof RETENTION_LIMITS;

export type RetentionResult = {
  filesDeleted: number;
  rowsPruned: number;
  deliveryAttemptsPruned: number;
  idempotencyKeysPruned: number;
  rollupRowsPruned: number;
  /** False when a step stopped at its bounds with work left: the next tick goes on. */
  finished: boolean;
} & AuditArchiveResult;

/**
 * Deletes report files older than their organization's retention (default 90 days) unless an
 * admin pinned them, and marks those executions expired (their links then answer 410). Execution
 * and delivery rows are pruned later, after ROW_RETENTION_DAYS, so history outlives files (their
 * deliveries and attempts go with them: foreign keys on delete cascade). Delivery attempts go
 * earlier, after DELIVERY_ATTEMPT_RETENTION_DAYS, and audit events after AUDIT_RETENTION_DAYS, once
 * archived to R2 (archive-audit.ts). Idempotent and bounded per run; what is left is picked up by
 * the next run.
 */
export async function applyRetention(env: Env, now: Date, limits: RetentionLimits = RETENTION_LIMITS): Promise<RetentionResult> {
  const files = await expireFiles(env, now, limits);
  const executions = await pruneExecutions(env, now, limits);
  const attempts = await pruneDeliveryAttempts(env, now, limits);
  // Idempotency keys answer repeats for 24 hours; expired ones are only dead weight.
  const keys = await env.DB.prepare("delete from idempotency_keys where expires_at < ?1").bind(now.getTime()).run();
  const rollupRowsPruned = await pruneRollups(env, now);
  // Test sends' sample files, past their link's 24 hours (logged on their own line).
  const testFiles = await expireTestFiles(env, now);
  log("info", "test files expired", { deleted: testFiles.deleted, finished: testFiles.finished, at: now.toISOString() });
  // Last: an R2 or D1 failure while archiving leaves the rest of the day's retention done.
  const audit = await archiveAuditEvents(env, now);
  const result = {
    filesDeleted: files.deleted,
    rowsPruned: executions.pruned,
    deliveryAttemptsPruned: attempts.pruned,
    idempotencyKeysPruned: keys.meta.changes,
    rollupRowsPruned,
    finished: files.finished && executions.finished && attempts.finished && audit.auditFinished,
    ...audit,
  };
  log("info", "retention applied", { ...result, at: now.toISOString() });
  return result;
}

/** Deletes the files past their organization's retention, a batch at a time, and marks their executions expired. */
async function expireFiles(env: Env, now: Date, limits: RetentionLimits) {
  let deleted = 0;
  for (let i = 0; i < limits.batches; i++) {
    // An organization's retention is its setting, but never longer than its retention quota (which
    // the operator may have lowered since the setting was made).
    const { results } = await env.DB.prepare(
      `select e.id, e.file_key as key from report_executions e join organizations o on o.id = e.organization_id
         left join organization_quotas q on q.organization_id = e.organization_id
        where e.file_key is not null and e.file_expired_at is null and e.pinned = 0
          and e.completed_at < ?1 - min(o.retention_days, ${effectiveQuotaSql(env, "retentionDays")}) * ${DAY}
        limit ${limits.fileBatch}`,
    )
      .bind(now.getTime())
      .all<{ id: string; key: string }>();
    if (results.length) {
      await env.REPORTS.delete(results.map((r) => r.key));
      const ids = JSON.stringify(results.map((r) => r.id));
      // The storage counters lose the files' bytes in the same transaction that marks them expired.
      await env.DB.batch([
        filesExpiredStatement(env.DB, ids, now),
        env.DB.prepare(
          `update report_executions set file_expired_at = ?1
            where id in (select value from json_each(?2)) and file_expired_at is null`,
        ).bind(now.getTime(), ids),
      ]);
      deleted += results.length;
    }
    if (results.length < limits.fileBatch) return { deleted, finished: true };
  }
  return { deleted, finished: false };
}

/**
 * Attempts older than DELIVERY_ATTEMPT_RETENTION_DAYS; the delivery keeps its status, attempt
 * count and last error. A delivery still pending keeps its attempts: its next attempt reuses the
 * round's link expiry from the last one.
 */
async function pruneDeliveryAttempts(env: Env, now: Date, limits: RetentionLimits) {
  const before = now.getTime() - config(env).deliveryAttemptRetentionDays * DAY;
  return deleteInBatches(limits.batches, limits.attemptBatch, (batch) =>
    env.DB.prepare(
      `delete from delivery_attempts where id in (
         select a.id from delivery_attempts a where a.started_at < ?1
            and not exists (select 1 from report_deliveries d where d.id = a.delivery_id and d.status = 'pending')
          limit ${batch})`,
    ).bind(before),
  );
}

/**
 * Execution rows past ROW_RETENTION_DAYS, a bounded batch a statement (a day of a busy service is
 * millions of rows with their deliveries: one statement would outlast D1's statement time). A row
 * whose file is still kept (a retention longer than the rows') stays until its file goes: pruning
 * it would leave the file in R2 with nothing pointing at it, still counted as storage. The scan
 * goes through the completion-time index: every finished run has its completion time, which is
 * never before its creation.
 */
async function pruneExecutions(env: Env, now: Date, limits: RetentionLimits) {
  const before = now.getTime() - config(env).rowRetentionDays * DAY;
  return deleteInBatches(limits.batches, limits.executionBatch, (batch) =>
    env.DB.prepare(
      `delete from report_executions where id in (
         select id from report_executions indexed by report_executions_completed_idx
          where completed_at < ?1 and created_at < ?1 and pinned = 0 and status in ('completed', 'failed', 'skipped', 'cancelled')
            and (file_key is null or file_expired_at is not null)
          limit ${batch})`,
    ).bind(before),
  );
}

/** Runs a `delete … limit batch` statement until it deletes fewer than a batch, at most `batches` times. */
async function deleteInBatches(batches: number, batch: number, statement: (batch: number) => D1PreparedStatement) {
  let pruned = 0;
  for (let i = 0; i < batches; i++) {
    const { meta } = await statement(batch).run();
    pruned += meta.changes;
    if (meta.changes < batch) return { pruned, finished: true };
  }
  return { pruned, finished: false };
}

/** The metrics rollups are read over at most 30 days (the dashboard's longest range); a few days' margin. */
export const ROLLUP_RETENTION_DAYS = 35;

/** Deletes rollup rows older than ROLLUP_RETENTION_DAYS, each table through its time index. */
async function pruneRollups(env: Env, now: Date): Promise<number> {
  const before = now.getTime() - ROLLUP_RETENTION_DAYS * DAY;
  const results = await env.DB.batch([
    env.DB.prepare("delete from execution_rollups where bucket_start < ?1").bind(before),
    env.DB.prepare("delete from duration_rollups where hour_start < ?1").bind(before),
    env.DB.prepare("delete from delivery_rollups where hour_start < ?1").bind(before),
  ]);
  return results.reduce((n, r) => n + r.meta.changes, 0);
}

/** Retention runs once a day, from 03:00 UTC. */
export const RETENTION_HOUR_UTC = 3;

/**
 * Whether this tick runs the day's retention: the first tick at or after 03:00 UTC on a day it has
 * not run yet claims the day (compare-and-set on daily_jobs), so a missed 03:00 tick only delays it.
 */
export async function claimRetentionDay(env: Env, now: Date): Promise<boolean> {
  if (now.getUTCHours() < RETENTION_HOUR_UTC) return false;
  const day = now.toISOString().slice(0, 10);
  const claimed = await env.DB.prepare(
    `insert into daily_jobs (name, last_day, ran_at) values ('retention', ?1, ?2)
     on conflict (name) do update set last_day = excluded.last_day, ran_at = excluded.ran_at where daily_jobs.last_day < excluded.last_day
     returning name`,
  )
    .bind(day, now.getTime())
    .first();
  return claimed !== null;
}

/**
 * The tick's retention step: claims the day, runs a pass, and gives the day back when the pass
 * stopped at its bounds or failed, so the next tick's pass goes on (each pass is bounded and
 * idempotent, and one that stops at a bound has made progress).
 */
export async function runRetention(env: Env, now: Date, limits: RetentionLimits = RETENTION_LIMITS): Promise<RetentionResult | null> {
  if (!(await claimRetentionDay(env, now))) return null;
  let result: RetentionResult;
  try {
    result = await applyRetention(env, now, limits);
  } catch (err) {
    await releaseRetentionDay(env, now);
    throw err;
  }
  if (!result.finished) await releaseRetentionDay(env, now);
  return result;
}

/** Makes today's retention claimable again (only when this day holds the claim). */
async function releaseRetentionDay(env: Env, now: Date) {
  const day = now.toISOString().slice(0, 10);
  const yesterday = new Date(now.getTime() - DAY).toISOString().slice(0, 10);
  await env.DB.prepare("update daily_jobs set last_day = ?2 where name = 'retention' and last_day = ?1").bind(day, yesterday).run();
}
