import { bucketOf, type DurationCount, HOUR_MS, hourOf, percentiles } from "../../domain/rollups";
import type { ServiceContext } from "../context";

const DAY = 24 * HOUR_MS;
/** Up to a week the charts show hours; past it, days (a month of hours is too many bars to read). */
const HOURLY_UP_TO_DAYS = 7;

export type SeriesInput = { days: number };

/**
 * The organization's figures over time, for the dashboard's charts: runs by outcome, run time
 * percentiles per report type and deliveries by channel and outcome, per hour (up to 7 days) or per
 * UTC day. Read from the rollups in one round trip; the rows read follow the window, never the history.
 */
export async function getSeries({ ctx, input }: { ctx: ServiceContext; input: SeriesInput }) {
  const org = ctx.auth.organizationId;
  const now = ctx.now.getTime();
  const step = input.days <= HOURLY_UP_TO_DAYS ? HOUR_MS : DAY;
  const from = step === HOUR_MS ? hourOf(now - input.days * DAY) : Math.floor((now - input.days * DAY) / DAY) * DAY;
  const db = ctx.env.DB;
  // The step is written into the SQL (a constant of ours): D1 binds a number as REAL, and a REAL divisor would not floor.
  const [runs, durations, deliveries] = await db.batch([
    db
      .prepare(
        `select (bucket_start / ${step}) * ${step} as at, sum(case when status = 'completed' then n else 0 end) as completed,
                sum(case when status = 'failed' then n else 0 end) as failed
           from execution_rollups where organization_id = ?1 and bucket_start >= ?2 group by 1 order by 1`,
      )
      .bind(org, bucketOf(from)),
    db
      .prepare(
        `select (hour_start / ${step}) * ${step} as at, report_type as type, duration_ms as durationMs, sum(n) as n
           from duration_rollups where organization_id = ?1 and hour_start >= ?2 group by 1, 2, 3`,
      )
      .bind(org, from),
    db
      .prepare(
        `select (hour_start / ${step}) * ${step} as at, channel, sum(case when status = 'sent' then n else 0 end) as sent,
                sum(case when status = 'failed' then n else 0 end) as failed, sum(case when status = 'bounced' then n else 0 end) as bounced
           from delivery_rollups where organization_id = ?1 and hour_start >= ?2 group by 1, 2 order by 1, 2`,
      )
      .bind(org, from),
  ]);
  const rows = <T>(r: D1Result | undefined) => (r?.results ?? []) as T[];
  const iso = (t: number) => new Date(t).toISOString();
  const histograms = new Map<string, { at: number; type: string; buckets: DurationCount[] }>();
  for (const d of rows<{ at: number; type: string } & DurationCount>(durations)) {
    const key = `${d.at}\u0000${d.type}`;
    const h = histograms.get(key) ?? { at: d.at, type: d.type, buckets: [] };
    h.buckets.push(d);
    histograms.set(key, h);
  }
  return {
    from: iso(from),
    to: ctx.now.toISOString(),
    step: step === HOUR_MS ? ("hour" as const) : ("day" as const),
    runs: rows<{ at: number; completed: number; failed: number }>(runs).map((r) => ({ at: iso(r.at), completed: r.completed, failed: r.failed })),
    durations: [...histograms.values()]
      .sort((a, b) => a.at - b.at || a.type.localeCompare(b.type))
      .map((h) => {
        const { count, values } = percentiles(h.buckets, [50, 95]);
        return { at: iso(h.at), reportType: h.type, count, p50: values[0] ?? 0, p95: values[1] ?? 0 };
      }),
    deliveries: rows<{ at: number; channel: string; sent: number; failed: number; bounced: number }>(deliveries).map((d) => ({ ...d, at: iso(d.at) })),
  };
}
