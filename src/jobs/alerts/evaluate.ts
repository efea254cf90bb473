import { config } from "../../config";
import type { AlertRule } from "../../db/schema";
import { SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { effectiveQuotaSql } from "../../domain/quotas";
import { bucketOf, hourOf, percentileSql } from "../../domain/rollups";
import { createMissingUsageStatement } from "../../domain/usage";
import { QUEUES } from "../messages";
import type { AlertCandidate } from "./record-alerts";
import { recordAlerts, resolveAlerts } from "./record-alerts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Rates need enough events to mean something: 1 failure in 2 runs is not a 50% failure rate. */
const MIN_SAMPLE = 5;

const bucket = (now: number, size: number) => Math.floor(now / size) * size;
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const minutes = (ms: number) => `${Math.max(1, Math.round(ms / MINUTE))} min`;

/** The rules this pass decides; an open alert of one of them whose condition is gone is resolved here. */
const EVALUATED: readonly AlertRule[] = ["failure_rate", "queue_backlog", "slow_executions", "storage_quota", "email_bounce_rate", "consumer_stalled"];

type Backlog = { org: string; queue: string; overdue: number; oldest: number };

/** "501 report runs … (the oldest due for 20 min)" for each queue over the threshold. */
function backlogMessage(queues: Backlog[], t: number, threshold: number) {
  const what = (q: Backlog) => (q.queue === QUEUES.generation ? "report runs" : "deliveries");
  return `${queues
    .map((q) => `${q.overdue} ${what(q)} have been waiting in the ${q.queue} queue for more than 5 minutes (the oldest for ${minutes(t - q.oldest)})`)
    .join("; ")}; the threshold is ${threshold}`;
}

/**
 * The architecture's alert rules, evaluated every minute in one D1 batch: for every organization
 * (told to its admins and alert routes) and over the whole system (told to the operator). Each
 * fires at most once per scope per hour (storage and bounces: per day), and is resolved, with a
 * notice, at the first evaluation that finds its condition gone.
 */
export async function evaluateAlerts(env: Env, now: Date) {
  const t = now.getTime();
  const a = config(env).alerts;
  const th = { failureRate: a.failureRate, backlog: a.backlog, p95: a.p95Ms, storage: a.storageRatio, bounce: a.bounceRate };
  const db = env.DB;
  const [failures, backlog, slow, , storage, bounces, stalled, systemSlow] = await db.batch([
    // Outcomes, durations and bounces from the rollups the outcome triggers keep: a bounded number
    // of counter rows per organization whatever the history's size (windows to the 5 minutes or hour).
    db
      .prepare(
        `select organization_id as org, sum(case when status = 'failed' then n else 0 end) as failed, sum(n) as n from execution_rollups indexed by execution_rollups_bucket_idx
          where bucket_start >= ?1 group by organization_id`,
      )
      .bind(bucketOf(t - 15 * MINUTE)),
    // Each queue's backlog per organization: work due for over 5 minutes (if more than the threshold
    // waits that long, the backlog has been over it for 5 minutes, with no history to keep) and the
    // oldest due item. The watchdog never moves a due time, so resending lost messages hides nothing.
    db
      .prepare(
        `select organization_id as org, '${QUEUES.generation}' as queue, sum(next_attempt_at <= ?1) as overdue, min(next_attempt_at) as oldest
           from report_executions indexed by report_executions_pending_idx where status = 'pending' and next_attempt_at <= ?2 group by organization_id
         union all
         select organization_id, '${QUEUES.delivery}', sum(coalesce(next_attempt_at, created_at) <= ?1), min(coalesce(next_attempt_at, created_at))
           from report_deliveries indexed by report_deliveries_pending_idx where status = 'pending' and coalesce(next_attempt_at, created_at) <= ?2 group by organization_id`,
      )
      .bind(t - 5 * MINUTE, t),
    db
      .prepare(`select grp as org, value as p95 from (${percentileSql(95, "organization_id", "hour_start >= ?1")}) where value > ?2`)
      .bind(hourOf(t - HOUR), th.p95),
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
        `select organization_id as org, sum(case when status = 'bounced' then n else 0 end) as bounced, sum(n) as total from delivery_rollups indexed by delivery_rollups_hour_idx
          where hour_start >= ?1 and channel = 'email' and status in ('sent', 'bounced') group by organization_id
         having total >= ${MIN_SAMPLE} and bounced * 1.0 / total > ?2`,
      )
      .bind(hourOf(t - DAY), th.bounce),
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
    db.prepare(`select value as p95 from (${percentileSql(95, "''", "hour_start >= ?1")})`).bind(hourOf(t - HOUR)),
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const hour = bucket(t, HOUR);
  const day = bucket(t, DAY);
  const outcomes = rows<{ org: string; failed: number; n: number }>(failures);
  const total = outcomes.reduce((sum, r) => ({ org: SYSTEM_ALERT_SCOPE, failed: sum.failed + r.failed, n: sum.n + r.n }), {
    org: SYSTEM_ALERT_SCOPE,
    failed: 0,
    n: 0,
  });
  const failing = [...outcomes, total].filter((r) => r.n >= MIN_SAMPLE && r.failed / r.n > th.failureRate);

  const queues = rows<Backlog>(backlog);
  const backlogByScope = new Map<string, Backlog[]>();
  for (const q of queues) backlogByScope.set(q.org, [...(backlogByScope.get(q.org) ?? []), q]);
  // The system's backlog: each queue summed over every organization.
  backlogByScope.set(
    SYSTEM_ALERT_SCOPE,
    [QUEUES.generation, QUEUES.delivery].map((queue) => {
      const of = queues.filter((q) => q.queue === queue);
      return { org: SYSTEM_ALERT_SCOPE, queue, overdue: of.reduce((n, q) => n + q.overdue, 0), oldest: Math.min(t, ...of.map((q) => q.oldest)) };
    }),
  );
  const backlogged = [...backlogByScope].flatMap(([org, list]) => {
    const over = list.filter((q) => q.overdue > th.backlog);
    return over.length ? [{ org, over }] : [];
  });

  const systemP95 = rows<{ p95: number | null }>(systemSlow)[0]?.p95 ?? null;
  const slowScopes = [
    ...rows<{ org: string; p95: number }>(slow),
    ...(systemP95 !== null && systemP95 > th.p95 ? [{ org: SYSTEM_ALERT_SCOPE, p95: systemP95 }] : []),
  ];

  const candidates: AlertCandidate[] = [
    ...failing.map((r) => ({
      organizationId: r.org,
      rule: "failure_rate" as const,
      windowStart: hour,
      severity: "critical" as const,
      value: r.failed / r.n,
      threshold: th.failureRate,
      message: `${pct(r.failed / r.n)} of report runs ${r.org === SYSTEM_ALERT_SCOPE ? "across all organizations " : ""}failed in the last 15 minutes (${r.failed} of ${r.n}); the threshold is ${pct(th.failureRate)}`,
    })),
    ...backlogged.map(({ org, over }) => ({
      organizationId: org,
      rule: "queue_backlog" as const,
      windowStart: hour,
      severity: "critical" as const,
      value: Math.max(...over.map((q) => q.overdue)),
      threshold: th.backlog,
      message: backlogMessage(over, t, th.backlog),
    })),
    ...slowScopes.map((r) => ({
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
    ...rows<{ org: string; bounced: number; total: number }>(bounces).map((r) => ({
      organizationId: r.org,
      rule: "email_bounce_rate" as const,
      windowStart: day,
      severity: "warning" as const,
      value: r.bounced / r.total,
      threshold: th.bounce,
      message: `${pct(r.bounced / r.total)} of report emails bounced in the last 24 hours (${r.bounced} of ${r.total})`,
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
  const fired = await recordAlerts(env, candidates, now);
  await resolveAlerts(env, EVALUATED, candidates, now);
  return fired;
}
