/*
 * Readers of the outcome rollups (src/db/schema/rollups.ts, kept by triggers): the figures metrics
 * and alert rules show, read from a bounded number of counter rows instead of the history.
 */

/** The width of an execution_rollups bucket: rates over "the last N minutes" are to the 5 minutes. */
export const ROLLUP_BUCKET_MS = 5 * 60_000;
export const HOUR_MS = 3_600_000;

/** The start of the 5-minute bucket `t` falls in. */
export const bucketOf = (t: number) => Math.floor(t / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
/** The start of the hour `t` falls in. */
export const hourOf = (t: number) => Math.floor(t / HOUR_MS) * HOUR_MS;

/** A duration bucket (its lower bound, two significant digits) and how many runs fell in it. */
export type DurationCount = { durationMs: number; n: number };

/**
 * The p-th percentiles (0–100) of a histogram of duration buckets: the smallest bucket at or under
 * which p% of the runs fall (nearest rank), so within 10% below the true value.
 */
export function percentiles(histogram: DurationCount[], ps: readonly number[]): { count: number; values: number[] } {
  const sorted = [...histogram].sort((a, b) => a.durationMs - b.durationMs);
  const count = sorted.reduce((sum, b) => sum + b.n, 0);
  const values = ps.map((p) => {
    let seen = 0;
    for (const b of sorted) {
      seen += b.n;
      if (seen * 100 >= count * p) return b.durationMs;
    }
    return 0;
  });
  return { count, values };
}

/**
 * SQL for the p-th percentile per `group` of duration_rollups rows selected by `where` (the same
 * nearest rank as `percentiles`), for the alert pass that must not ship every bucket to the Worker.
 */
export const percentileSql = (p: number, group: string, where: string) => `
  with h as (select ${group} as grp, duration_ms as ms, sum(n) as n from duration_rollups indexed by duration_rollups_hour_idx where ${where} group by 1, 2),
       c as (select grp, ms, sum(n) over (partition by grp order by ms rows unbounded preceding) as cum, sum(n) over (partition by grp) as total from h)
  select grp, min(case when cum * 100 >= total * ${p} then ms end) as value from c group by grp`;
