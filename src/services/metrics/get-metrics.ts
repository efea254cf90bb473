import { bucketOf, type DurationCount, hourOf, percentiles } from "../../domain/rollups";
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
 * The organization's operational and business figures in one D1 round trip. Outcomes, durations
 * and deliveries come from the rollups the outcome triggers keep (at most a week of 5-minute buckets,
 * a day of hourly duration and delivery buckets), the backlog from the pending and running rows, and
 * storage from the usage counter: the rows read follow the windows shown and the work waiting, not
 * the size of the history.
 */
export async function getMetrics({ ctx }: { ctx: ServiceContext }) {
  const org = ctx.auth.organizationId;
  const now = ctx.now.getTime();
  const db = ctx.env.DB;
  const hourAgo = bucketOf(now - HOUR);
  const dayAgo = bucketOf(now - DAY);
  const [backlog, deliveryBacklog, outcomes, failures, timeline, durations, deliveries, storage, reports, popular, recipients] = await db.batch([
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
        `select sum(case when bucket_start >= ?2 and status = 'completed' then n end) as hourCompleted,
                sum(case when bucket_start >= ?2 and status = 'failed' then n end) as hourFailed,
                sum(case when bucket_start >= ?3 and status = 'completed' then n end) as dayCompleted,
                sum(case when bucket_start >= ?3 and status = 'failed' then n end) as dayFailed,
                sum(case when bucket_start >= ?4 then n end) as today,
                sum(n) as week
           from execution_rollups where organization_id = ?1 and bucket_start >= min(?3, ?4, ?5)`,
      )
      .bind(org, hourAgo, dayAgo, startOfUtcDay(ctx.now), startOfUtcWeek(ctx.now)),
    db
      .prepare(
        "select error_class as class, sum(n) as n from execution_rollups where organization_id = ?1 and bucket_start >= ?2 and status = 'failed' group by 1",
      )
      .bind(org, dayAgo),
    db
      .prepare(
        `select (bucket_start / ${HOUR}) * ${HOUR} as hour, sum(case when status = 'completed' then n else 0 end) as completed,
                sum(case when status = 'failed' then n else 0 end) as failed
           from execution_rollups where organization_id = ?1 and bucket_start >= ?2 group by 1 order by 1`,
      )
      .bind(org, dayAgo),
    db
      .prepare(
        "select report_type as type, duration_ms as durationMs, sum(n) as n from duration_rollups where organization_id = ?1 and hour_start >= ?2 group by 1, 2",
      )
      .bind(org, hourOf(now - DAY)),
    db
      .prepare("select channel, status, sum(n) as n from delivery_rollups where organization_id = ?1 and hour_start >= ?2 group by 1, 2 order by 1, 2")
      .bind(org, hourOf(now - DAY)),
    db
      .prepare(
        // Bytes and files from the organization's usage counter (the figure its storage quota is held
        // to); a scan of its live files only while it has no counter row yet.
        `select storage_bytes as bytes, storage_files as files from organization_usage where organization_id = ?1
         union all
         select coalesce(sum(file_size), 0), count(*) from report_executions indexed by report_executions_live_files_idx
          where organization_id = ?1 and file_key is not null and file_expired_at is null
            and not exists (select 1 from organization_usage where organization_id = ?1)`,
      )
      .bind(org),
    db.prepare("select sum(is_active) as active, sum(not is_active) as paused from scheduled_reports where organization_id = ?1").bind(org),
    db
      .prepare("select report_type as reportType, count(*) as reports from scheduled_reports where organization_id = ?1 group by 1 order by 2 desc, 1 limit 10")
      .bind(org),
    db.prepare("select avg(json_array_length(recipients)) as avg from scheduled_reports where organization_id = ?1").bind(org),
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const statusCount = (status: string) => rows<{ status: string; n: number }>(backlog).find((r) => r.status === status)?.n ?? 0;
  const ageOf = (oldest: number | null | undefined) => (oldest ? Math.max(0, Math.round((now - oldest) / 1000)) : 0);
  const pendingOldest = rows<{ status: string; oldest: number | null }>(backlog).find((r) => r.status === "pending")?.oldest;
  const deliveryRow = rows<Count & { oldest: number | null }>(deliveryBacklog)[0];
  const storageRow = rows<{ bytes: number; files: number }>(storage)[0];
  const reportRow = rows<{ active: number | null; paused: number | null }>(reports)[0];
  const o = rows<Record<"hourCompleted" | "hourFailed" | "dayCompleted" | "dayFailed" | "today" | "week", number | null>>(outcomes)[0];
  const byType = new Map<string, DurationCount[]>();
  for (const d of rows<{ type: string } & DurationCount>(durations)) byType.set(d.type, [...(byType.get(d.type) ?? []), d]);
  return {
    generatedAt: ctx.now.toISOString(),
    queue: {
      executions: { pending: statusCount("pending"), running: statusCount("running"), oldestDueSeconds: ageOf(pendingOldest) },
      deliveries: { pending: deliveryRow?.n ?? 0, oldestDueSeconds: ageOf(deliveryRow?.oldest) },
    },
    successRate: {
      lastHour: rate({ completed: o?.hourCompleted ?? 0, failed: o?.hourFailed ?? 0 }),
      last24Hours: rate({ completed: o?.dayCompleted ?? 0, failed: o?.dayFailed ?? 0 }),
    },
    executionTimeMs: [...byType.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([reportType, histogram]) => {
        const { count, values } = percentiles(histogram, [50, 95, 99]);
        return { reportType, count, p50: values[0] ?? 0, p95: values[1] ?? 0, p99: values[2] ?? 0 };
      }),
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
      executionsToday: o?.today ?? 0,
      executionsThisWeek: o?.week ?? 0,
      mostUsedReportTypes: rows<{ reportType: string; reports: number }>(popular),
      averageRecipientsPerReport: rows<{ avg: number | null }>(recipients)[0]?.avg ?? 0,
    },
  };
}
