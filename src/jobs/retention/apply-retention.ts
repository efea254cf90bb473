import { config } from "../../config";
import { effectiveQuotaSql } from "../../domain/quotas";
import { filesExpiredStatement } from "../../domain/usage";
import { log } from "../../lib/log";
import { type AuditArchiveResult, archiveAuditEvents } from "./archive-audit";

const DAY = 86_400_000;
const BATCH = 1000; // R2 deletes up to 1,000 keys per call
const MAX_BATCHES = 20;
/** Delivery attempts deleted a statement (one indexed range, a short write transaction). */
const ATTEMPT_BATCH = 10_000;

export type RetentionResult = {
  filesDeleted: number;
  rowsPruned: number;
  deliveryAttemptsPruned: number;
  idempotencyKeysPruned: number;
  rollupRowsPruned: number;
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
export async function applyRetention(env: Env, now: Date): Promise<RetentionResult> {
  let filesDeleted = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    // An organization's retention is its setting, but never longer than its retention quota (which
    // the operator may have lowered since the setting was made).
    const { results } = await env.DB.prepare(
      `select e.id, e.file_key as key from report_executions e join organizations o on o.id = e.organization_id
         left join organization_quotas q on q.organization_id = e.organization_id
        where e.file_key is not null and e.file_expired_at is null and e.pinned = 0
          and e.completed_at < ?1 - min(o.retention_days, ${effectiveQuotaSql(env, "retentionDays")}) * ${DAY}
        limit ${BATCH}`,
    )
      .bind(now.getTime())
      .all<{ id: string; key: string }>();
    if (!results.length) break;
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
    filesDeleted += results.length;
    if (results.length < BATCH) break;
  }
  const rowDays = config(env).rowRetentionDays;
  // A row whose file is still kept (a retention longer than the rows') stays until its file goes:
  // pruning it would leave the file in R2 with nothing pointing at it, still counted as storage.
  const pruned = await env.DB.prepare(
    `delete from report_executions where pinned = 0 and status in ('completed', 'failed', 'skipped', 'cancelled') and created_at < ?1
        and (file_key is null or file_expired_at is not null)`,
  )
    .bind(now.getTime() - rowDays * DAY)
    .run();
  const deliveryAttemptsPruned = await pruneDeliveryAttempts(env, now);
  // Idempotency keys answer repeats for 24 hours; expired ones are only dead weight.
  const keys = await env.DB.prepare("delete from idempotency_keys where expires_at < ?1").bind(now.getTime()).run();
  const rollupRowsPruned = await pruneRollups(env, now);
  // Last: an R2 or D1 failure while archiving leaves the rest of the day's retention done.
  const audit = await archiveAuditEvents(env, now);
  const result = {
    filesDeleted,
    rowsPruned: pruned.meta.changes,
    deliveryAttemptsPruned,
    idempotencyKeysPruned: keys.meta.changes,
    rollupRowsPruned,
    ...audit,
  };
  log("info", "retention applied", { ...result, at: now.toISOString() });
  return result;
}

/**
 * Attempts older than DELIVERY_ATTEMPT_RETENTION_DAYS; the delivery keeps its status, attempt
 * count and last error. A delivery still pending keeps its attempts: its next attempt reuses the
 * round's link expiry from the last one.
 */
async function pruneDeliveryAttempts(env: Env, now: Date): Promise<number> {
  const before = now.getTime() - config(env).deliveryAttemptRetentionDays * DAY;
  let pruned = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const { meta } = await env.DB.prepare(
      `delete from delivery_attempts where id in (
         select a.id from delivery_attempts a where a.started_at < ?1
            and not exists (select 1 from report_deliveries d where d.id = a.delivery_id and d.status = 'pending')
          limit ${ATTEMPT_BATCH})`,
    )
      .bind(before)
      .run();
    pruned += meta.changes;
    if (meta.changes < ATTEMPT_BATCH) break;
  }
  return pruned;
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
