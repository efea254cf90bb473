import type { ServiceContext } from "../context";

const HOUR = 3600_000;
const DAY = 24 * HOUR;

type Count = { n: number };

const startOfUtcDay = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
/** Weeks start on Monday (ISO 8601). */
const startOfUtcWeek = (now: Date) => startOfUtcDay(now) - ((now.getUTCDay() + 6) % 7) * DAY;

const rate = (r: { completed: number | null; failed: number | null } | undefined) => {
  const completed = r?.completed ?? 0;
  const failed = r?.failed ?? 0;
  return { completed, failed, rate: completed + failed ? completed / (completed + failed) : null };
};

/**
 * The organization's operational and business figures in one D1 round trip. Each statement reads
 * one organization through an index (recent executions by completed_at, live files through a partial
 * index), so the cost follows recent activity, not the size of the history.
 */
export async function getMetrics({ ctx }: { ctx: ServiceContext }) {
  const org = ctx.auth.organizationId;
  const now = ctx.now.getTime();
  const db = ctx.env.DB;
  const [backlog, deliveryBacklog, hour, day, durations, failures, deliveries, storage, reports, today, week, popular, recipients, timeline] = await db.batch([
    // The backlog per queue: how much waits and how long the oldest due item has waited.
    db
      .prepare(
        `select status, count(*) as n, min(case when next_attempt_at <= ?2 then next_attempt_at end) as oldest
           from report_executions where organization_id = ?1 and status in ('pending', 'running') group by status`,
      )
      .bind(org, now),
    db
      .prepare(
        `select count(*) as n, min(case when coalesce(next_attempt_at, created_at) <= ?2 then coalesce(next_attempt_at, created_at) end) as oldest
           from report_deliveries where organization_id = ?1 and status = 'pending'`,
      )
      .bind(org, now),
    db
      .prepare(
        "select sum(status = 'completed') as completed, sum(status = 'failed') as failed from report_executions where organization_id = ?1 and completed_at >= ?2",
      )
      .bind(org, now - HOUR),
    db
      .prepare(
        "select sum(status = 'completed') as completed, sum(status = 'failed') as failed from report_executions where organization_id = ?1 and completed_at >= ?2",
      )
      .bind(org, now - DAY),
    db
      .prepare(
        `with d as (
           select coalesce(r.report_type, 'deleted report') as type, e.duration_ms as ms
             from report_executions e left join scheduled_reports r on r.id = e.scheduled_report_id
            where e.organization_id = ?1 and e.completed_at >= ?2 and e.status = 'completed' and e.duration_ms is not null),
         ranked as (select type, ms, row_number() over (partition by type order by ms) as rn, count(*) over (partition by type) as n from d)
         select type, n,
                min(case when rn * 100 >= n * 50 then ms end) as p50,
                min(case when rn * 100 >= n * 95 then ms end) as p95,
                min(case when rn * 100 >= n * 99 then ms end) as p99
           from ranked group by type order by type`,
      )
      .bind(org, now - DAY),
    db
      .prepare(
        "select coalesce(error_class, 'internal') as class, count(*) as n from report_executions where organization_id = ?1 and completed_at >= ?2 and status = 'failed' group by 1",
      )
      .bind(org, now - DAY),
    db
      .prepare(
        "select recipient_type as channel, status, count(*) as n from report_deliveries where organization_id = ?1 and created_at >= ?2 group by 1, 2 order by 1, 2",
      )
      .bind(org, now - DAY),
    db
      .prepare(
        // Bytes from the organization's storage counter (the same figure its storage quota is held to);
        // the scan only until the counter exists.
        `select coalesce((select storage_bytes from organization_usage where organization_id = ?1), sum(file_size), 0) as bytes, count(*) as files
           from report_executions where organization_id = ?1 and file_key is not null and file_expired_at is null`,
      )
      .bind(org),
    db.prepare("select sum(is_active) as active, sum(not is_active) as paused from scheduled_reports where organization_id = ?1").bind(org),
    db.prepare("select count(*) as n from report_executions where organization_id = ?1 and created_at >= ?2").bind(org, startOfUtcDay(ctx.now)),
    db.prepare("select count(*) as n from report_executions where organization_id = ?1 and created_at >= ?2").bind(org, startOfUtcWeek(ctx.now)),
    db
      .prepare("select report_type as reportType, count(*) as reports from scheduled_reports where organization_id = ?1 group by 1 order by 2 desc, 1 limit 10")
      .bind(org),
    db.prepare("select avg(json_array_length(recipients)) as avg from scheduled_reports where organization_id = ?1").bind(org),
    db
      .prepare(
        `select (completed_at / ${HOUR}) * ${HOUR} as hour, sum(status = 'completed') as completed, sum(status = 'failed') as failed
           from report_executions where organization_id = ?1 and completed_at >= ?2 group by 1 order by 1`,
      )
      .bind(org, now - DAY),
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const statusCount = (status: string) => rows<{ status: string; n: number }>(backlog).find((r) => r.status === status)?.n ?? 0;
  const ageOf = (oldest: number | null | undefined) => (oldest ? Math.max(0, Math.round((now - oldest) / 1000)) : 0);
  const pendingOldest = rows<{ status: string; oldest: number | null }>(backlog).find((r) => r.status === "pending")?.oldest;
  const deliveryRow = rows<Count & { oldest: number | null }>(deliveryBacklog)[0];
  const storageRow = rows<{ bytes: number; files: number }>(storage)[0];
  const reportRow = rows<{ active: number | null; paused: number | null }>(reports)[0];
  return {
    generatedAt: ctx.now.toISOString(),
    queue: {
      executions: { pending: statusCount("pending"), running: statusCount("running"), oldestDueSeconds: ageOf(pendingOldest) },
      deliveries: { pending: deliveryRow?.n ?? 0, oldestDueSeconds: ageOf(deliveryRow?.oldest) },
    },
    successRate: {
      lastHour: rate(rows<{ completed: number; failed: number }>(hour)[0]),
      last24Hours: rate(rows<{ completed: number; failed: number }>(day)[0]),
    },
    executionTimeMs: rows<{ type: string; n: number; p50: number; p95: number; p99: number }>(durations).map((d) => ({
      reportType: d.type,
      count: d.n,
      p50: d.p50,
      p95: d.p95,
      p99: d.p99,
    })),
    failuresByErrorClass: Object.fromEntries(rows<{ class: string; n: number }>(failures).map((f) => [f.class, f.n])),
    deliveriesByChannel: rows<{ channel: string; status: string; n: number }>(deliveries).map((d) => ({ channel: d.channel, status: d.status, count: d.n })),
    storage: { bytes: storageRow?.bytes ?? 0, files: storageRow?.files ?? 0 },
    /** Finished executions per hour over the last 24 hours, for the dashboard's charts. */
    timeline: rows<{ hour: number; completed: number; failed: number }>(timeline).map((t) => ({
      hour: new Date(t.hour).toISOString(),
      completed: t.completed,
      failed: t.failed,
    })),
    business: {
      activeReports: reportRow?.active ?? 0,
      pausedReports: reportRow?.paused ?? 0,
      executionsToday: rows<Count>(today)[0]?.n ?? 0,
      executionsThisWeek: rows<Count>(week)[0]?.n ?? 0,
      mostUsedReportTypes: rows<{ reportType: string; reports: number }>(popular),
      averageRecipientsPerReport: rows<{ avg: number | null }>(recipients)[0]?.avg ?? 0,
    },
  };
}
