import { log } from "../../lib/log";
import { enqueueAlertNotices } from "../messages";
import { recordAlerts } from "./record-alerts";

/** How many runs before an empty one must all have had rows for the empty one to be suspicious. */
const HISTORY = 3;

type Run = { id: string; organizationId: string; scheduledReportId: string; scheduledFor: Date; traceId: string };

/**
 * After a run: one that returned no rows where the report's last three runs had rows raises a
 * `suspicious_empty` alert for that report (a remapped data tenant key or an emptied table looks
 * exactly like this), routed like every alert; the report's next run with rows resolves it. A run
 * that failed because it was empty (emptyResult: "fail") counts as a run with no rows. The alert's
 * key is the report and the run's scheduled-for time, so a redelivered message raises nothing new.
 */
export async function checkRowCount(env: Env, run: Run, reportName: string, rowCount: number, now: Date) {
  if (rowCount > 0) return resolveSuspiciousEmpty(env, run, now);
  const { results } = await env.DB.prepare(
    `select coalesce(row_count, 0) as rows from report_executions
      where scheduled_report_id = ?1 and organization_id = ?2 and id != ?3 and scheduled_for < ?4
        and (status = 'completed' or (status = 'failed' and error_class = 'empty_result'))
      order by scheduled_for desc limit ${HISTORY}`,
  )
    .bind(run.scheduledReportId, run.organizationId, run.id, run.scheduledFor.getTime())
    .all<{ rows: number }>();
  if (results.length < HISTORY || results.some((r) => r.rows === 0)) return;
  const counts = results.map((r) => r.rows);
  const fired = await recordAlerts(
    env,
    [
      {
        organizationId: run.organizationId,
        rule: "suspicious_empty",
        subjectId: run.scheduledReportId,
        windowStart: run.scheduledFor.getTime(),
        severity: "warning",
        value: 0,
        threshold: Math.min(...counts),
        message: `The report "${reportName}" returned no rows, where its last ${HISTORY} runs returned ${counts.join(", ")}: check the organization's data tenant key and the source data`,
      },
    ],
    now,
  );
  if (fired.length) log("warn", "run returned no rows after runs with rows", { ...fields(run), alertId: fired[0]!.id });
}

async function resolveSuspiciousEmpty(env: Env, run: Run, now: Date) {
  const { results } = await env.DB.prepare(
    `update alerts set resolved_at = ?1
      where organization_id = ?2 and rule = 'suspicious_empty' and subject_id = ?3 and resolved_at is null
     returning id, organization_id as organizationId`,
  )
    .bind(now.getTime(), run.organizationId, run.scheduledReportId)
    .all<{ id: string; organizationId: string }>();
  if (!results.length) return;
  log("info", "alert resolved", { ...fields(run), rule: "suspicious_empty", alertId: results[0]!.id });
  await enqueueAlertNotices(env, results, "resolved");
}

const fields = (run: Run) => ({ executionId: run.id, scheduledReportId: run.scheduledReportId, organizationId: run.organizationId, traceId: run.traceId });
