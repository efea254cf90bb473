import { config } from "../../config";
import { SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { effectiveQuotaSql } from "../../domain/quotas";
import { createMissingUsageStatement } from "../../domain/usage";
import { QUEUES } from "../messages";
import type { AlertCandidate } from "./record-alerts";
import { recordAlerts } from "./record-alerts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Rates need enough events to mean something: 1 failure in 2 runs is not a 50% failure rate. */
const MIN_SAMPLE = 5;

const bucket = (now: number, size: number) => Math.floor(now / size) * size;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The architecture's alert rules, evaluated for every organization in one D1 batch, every minute.
 * Each fires at most once per organization per hour (storage and bounces: per day).
 */
export async function evaluateAlerts(env: Env, now: Date) {
  const t = now.getTime();
  const a = config(env).alerts;
  const th = { failureRate: a.failureRate, backlog: a.backlog, p95: a.p95Ms, storage: a.storageRatio, bounce: a.bounceRate };
  const db = env.DB;
  const [failures, backlog, slow, , storage, bounces, stalled] = await db.batch([
    db
      .prepare(
        `select organization_id as org, sum(status = 'failed') as failed, count(*) as n from report_executions
          where completed_at >= ?1 and status in ('completed', 'failed') group by organization_id
         having n >= ${MIN_SAMPLE} and failed * 1.0 / n > ?2`,
      )
      .bind(t - 15 * MINUTE, th.failureRate),
    // Runs queued for over 5 minutes: if more than the threshold wait that long, the backlog has
    // been over the threshold for 5 minutes, with no history to keep.
    db
      .prepare(
        `select organization_id as org, count(*) as n from report_executions where status = 'pending' and next_attempt_at <= ?1 group by organization_id having n > ?2`,
      )
      .bind(t - 5 * MINUTE, th.backlog),
    db
      .prepare(
        `with ranked as (
           select organization_id as org, duration_ms as ms,
                  row_number() over (partition by organization_id order by duration_ms) as rn,
                  count(*) over (partition by organization_id) as n
             from report_executions where completed_at >= ?1 and status = 'completed' and duration_ms is not null)
         select org, min(case when rn * 100 >= n * 95 then ms end) as p95 from ranked group by org having p95 > ?2`,
      )
      .bind(t - HOUR, th.p95),
    // Storage from the organizations' counters (rows missing so far are created first, in this batch).
    createMissingUsageStatement(db, now),
    db
      .prepare(
        `select u.organization_id as org, u.storage_bytes as bytes, ${effectiveQuotaSql(env, "storageBytes")} as quota
           from organization_usage u left join organization_quotas q on q.organization_id = u.organization_id
          where u.storage_bytes > ?1 * ${effectiveQuotaSql(env, "storageBytes")}`,
      )
      .bind(th.storage),
    db
      .prepare(
        `select organization_id as org, sum(status = 'bounced') as bounced, count(*) as n from report_deliveries
          where created_at >= ?1 and recipient_type = 'email' and status in ('sent', 'bounced') group by organization_id
         having n >= ${MIN_SAMPLE} and bounced * 1.0 / n > ?2`,
      )
      .bind(t - DAY, th.bounce),
    // A consumer that stopped: its queue has work overdue by 5 minutes and it finished no batch in 5 minutes.
    db
      .prepare(
        `select q.queue, q.overdue, h.last_batch_at as lastBatchAt from (
           select '${QUEUES.generation}' as queue, count(*) as overdue from report_executions where status = 'pending' and next_attempt_at <= ?1
           union all
           select '${QUEUES.delivery}', count(*) from report_deliveries where status = 'pending' and coalesce(next_attempt_at, created_at) <= ?1
         ) q left join consumer_heartbeats h on h.queue = q.queue
         where q.overdue > 0 and (h.last_batch_at is null or h.last_batch_at <= ?1)`,
      )
      .bind(t - 5 * MINUTE),
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const hour = bucket(t, HOUR);
  const day = bucket(t, DAY);
  const candidates: AlertCandidate[] = [
    ...rows<{ org: string; failed: number; n: number }>(failures).map((r) => ({
      organizationId: r.org,
      rule: "failure_rate" as const,
      windowStart: hour,
      severity: "critical" as const,
      value: r.failed / r.n,
      threshold: th.failureRate,
      message: `${pct(r.failed / r.n)} of report runs failed in the last 15 minutes (${r.failed} of ${r.n}); the threshold is ${pct(th.failureRate)}`,
    })),
    ...rows<{ org: string; n: number }>(backlog).map((r) => ({
      organizationId: r.org,
      rule: "queue_backlog" as const,
      windowStart: hour,
      severity: "critical" as const,
      value: r.n,
      threshold: th.backlog,
      message: `${r.n} report runs have been waiting in the queue for more than 5 minutes (threshold ${th.backlog})`,
    })),
    ...rows<{ org: string; p95: number }>(slow).map((r) => ({
      organizationId: r.org,
      rule: "slow_executions" as const,
      windowStart: hour,
      severity: "warning" as const,
      value: r.p95,
      threshold: th.p95,
      message: `The 95th percentile of report run time over the last hour is ${Math.round(r.p95 / 1000)} s (threshold ${Math.round(th.p95 / 1000)} s)`,
    })),
    ...rows<{ org: string; bytes: number; quota: number }>(storage).map((r) => ({
      organizationId: r.org,
      rule: "storage_quota" as const,
      windowStart: day,
      severity: "warning" as const,
      value: r.bytes / r.quota,
      threshold: th.storage,
      message: `Report files use ${pct(r.bytes / r.quota)} of the storage quota (${r.bytes} of ${r.quota} bytes)`,
    })),
    ...rows<{ org: string; bounced: number; n: number }>(bounces).map((r) => ({
      organizationId: r.org,
      rule: "email_bounce_rate" as const,
      windowStart: day,
      severity: "warning" as const,
      value: r.bounced / r.n,
      threshold: th.bounce,
      message: `${pct(r.bounced / r.n)} of report emails bounced in the last 24 hours (${r.bounced} of ${r.n})`,
    })),
  ];
  const stalledQueues = rows<{ queue: string; overdue: number; lastBatchAt: number | null }>(stalled);
  if (stalledQueues.length) {
    candidates.push({
      organizationId: SYSTEM_ALERT_SCOPE,
      rule: "consumer_stalled",
      windowStart: hour,
      severity: "critical",
      value: stalledQueues.reduce((n, q) => n + q.overdue, 0),
      threshold: 0,
      message: stalledQueues
        .map(
          (q) =>
            `The ${q.queue} consumer has finished no batch ${q.lastBatchAt ? `since ${new Date(q.lastBatchAt).toISOString()}` : "yet"} while ${q.overdue} messages are overdue by more than 5 minutes`,
        )
        .join("; "),
    });
  }
  return recordAlerts(env, candidates, now);
}
