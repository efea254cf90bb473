import { config } from "../../config";
import { isEventSchedule, type ScheduleConfig } from "../../db/schema";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { newTraceId } from "../../lib/trace";
import { enqueueExecutionFailedNotice, enqueueGeneration } from "../messages";
import { planRuns } from "./plan-runs";

const PAGE_SIZE = 500;
/** Rows per INSERT ... SELECT FROM json_each(?): one bound parameter, whatever the row count. */
const INSERT_CHUNK = 200;

type DueRow = {
  id: string;
  organization_id: string;
  cron: string;
  timezone: string;
  catch_up: "skip" | "latest" | "all";
  start_at: number | null;
  end_at: number | null;
  next_run_at: number;
  format: string;
  last_row_count: number | null;
  schedule_config: string;
};

/** A run to insert; `missed` (a reason) records a triggered report's missed deadline as failed instead of running it. */
type NewExecution = { id: string; org: string; report: string; at: number; format: string; trace: string; rows: number | null; missed?: string };

/** A report run by a trigger that alerts on a missed deadline: the message, or null for any other report. */
function missedDeadlineMessage(r: DueRow): string | null {
  const schedule = JSON.parse(r.schedule_config) as ScheduleConfig;
  if (!isEventSchedule(schedule) || schedule.onMissedDeadline !== "alert") return null;
  return `No data-ready trigger arrived by the deadline ${schedule.deadline} (${r.timezone}); a trigger that arrives later today still runs it`;
}

export type TickResult = { reports: number; executions: number; enqueued: number };

/**
 * One scheduler pass at `now` (the cron event's scheduledTime, never the wall clock). Idempotent:
 * the unique (report, scheduled_for) index lets only one of two racing ticks insert a run, only
 * inserted rows are enqueued, and next_run_at only moves from the value this pass read.
 */
export async function enqueueDueRuns(env: Env, now: Date): Promise<TickResult> {
  const { graceMs, catchUpMaxRuns } = config(env).scheduler;
  const opts = { graceMs, cap: catchUpMaxRuns };
  const result: TickResult = { reports: 0, executions: 0, enqueued: 0 };
  let after = { at: -1, id: "" };
  for (;;) {
    const { results: due } = await env.DB.prepare(
      `select id, organization_id, cron, timezone, catch_up, start_at, end_at, next_run_at, format, last_row_count, schedule_config
         from scheduled_reports
        where is_active = 1 and next_run_at <= ?1 and (next_run_at, id) > (?2, ?3)
        order by next_run_at, id limit ?4`,
    )
      .bind(now.getTime(), after.at, after.id, PAGE_SIZE)
      .all<DueRow>();
    if (!due.length) break;
    const last = due.at(-1)!;
    after = { at: last.next_run_at, id: last.id };

    const executions: NewExecution[] = [];
    const advances: { id: string; old: number; next: number | null; last: number | null }[] = [];
    for (const r of due) {
      try {
        const plan = planRuns(
          {
            cron: r.cron,
            timezone: r.timezone,
            catchUp: r.catch_up,
            startAt: r.start_at === null ? null : new Date(r.start_at),
            endAt: r.end_at === null ? null : new Date(r.end_at),
            nextRunAt: new Date(r.next_run_at),
          },
          now,
          opts,
        );
        const missed = missedDeadlineMessage(r);
        for (const at of plan.runs)
          executions.push({
            id: newId(),
            org: r.organization_id,
            report: r.id,
            at: at.getTime(),
            format: r.format,
            trace: newTraceId(),
            rows: r.last_row_count,
            ...(missed ? { missed } : {}),
          });
        advances.push({ id: r.id, old: r.next_run_at, next: plan.nextRunAt?.getTime() ?? null, last: plan.lastDue?.getTime() ?? null });
      } catch (err) {
        // One report's bad schedule must not stop every other report's run.
        log("error", "could not plan a due report", { scheduledReportId: r.id, organizationId: r.organization_id, error: String(err) });
      }
    }

    // The page's inserts and its advance of next_run_at: one round trip.
    const chunks = chunksOf(executions, INSERT_CHUNK);
    const results = await env.DB.batch<{ id: string }>([
      ...chunks.map((chunk) => insertStatement(env.DB, chunk, now)),
      env.DB.prepare(
        `update scheduled_reports
            set next_run_at = json_extract(j.value, '$.next'),
                last_run_at = coalesce(json_extract(j.value, '$.last'), last_run_at)
           from json_each(?1) as j
          where scheduled_reports.id = json_extract(j.value, '$.id')
            and scheduled_reports.next_run_at = json_extract(j.value, '$.old')`,
      ).bind(JSON.stringify(advances)),
    ]);
    const insertedIds = new Set(results.slice(0, chunks.length).flatMap((r) => r.results.map((row) => row.id)));
    const inserted = executions.filter((e) => insertedIds.has(e.id));
    const toRun = inserted.filter((e) => !e.missed);
    await enqueueGeneration(
      env,
      toRun.map((e) => ({ id: e.id, organizationId: e.org, scheduledReportId: e.report, traceId: e.trace, format: e.format, lastRowCount: e.rows })),
    );
    // A missed deadline was recorded as a failed run (a trigger for that day had not run it): its owner is told.
    for (const e of inserted.filter((x) => x.missed)) {
      await enqueueExecutionFailedNotice(env, { id: e.id, organizationId: e.org, traceId: e.trace });
      log("warn", "data-ready trigger missed its deadline", { executionId: e.id, scheduledReportId: e.report, organizationId: e.org });
    }
    // One line per page (Workers keep 256 KB of logs per invocation): the runs' ids and trace ids.
    if (toRun.length)
      log("info", "runs enqueued", {
        count: toRun.length,
        scheduledFor: [...new Set(toRun.map((e) => new Date(e.at).toISOString()))].slice(0, 10),
        runs: toRun.map((e) => `${e.id}:${e.trace}`),
      });

    result.reports += due.length;
    result.executions += inserted.length;
    result.enqueued += toRun.length;
    if (due.length < PAGE_SIZE) break;
  }
  return result;
}

const chunksOf = <T>(rows: T[], size: number) => Array.from({ length: Math.ceil(rows.length / size) }, (_, i) => rows.slice(i * size, (i + 1) * size));

/** Inserts pending executions, skipping any (report, time) that already exists; `returning` those inserted. */
function insertStatement(db: D1Database, chunk: NewExecution[], now: Date): D1PreparedStatement {
  return db
    .prepare(
      `insert into report_executions
         (id, organization_id, scheduled_report_id, scheduled_for, trigger, status, attempt, format, trace_id, next_attempt_at, created_at,
          completed_at, error_message, error_class)
       select json_extract(value, '$.id'), json_extract(value, '$.org'), json_extract(value, '$.report'), json_extract(value, '$.at'),
              'schedule', iif(json_extract(value, '$.missed') is null, 'pending', 'failed'), 0, json_extract(value, '$.format'),
              json_extract(value, '$.trace'), iif(json_extract(value, '$.missed') is null, ?2, null), ?2,
              iif(json_extract(value, '$.missed') is null, null, ?2), json_extract(value, '$.missed'),
              iif(json_extract(value, '$.missed') is null, null, 'trigger_missed')
         from json_each(?1) where true
       on conflict (scheduled_report_id, scheduled_for) do nothing
       returning id`,
    )
    .bind(JSON.stringify(chunk), now.getTime());
}
