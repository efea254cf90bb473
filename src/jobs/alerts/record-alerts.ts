import type { AlertRule } from "../../db/schema";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { enqueueAlertNotices } from "../messages";

export type AlertCandidate = {
  organizationId: string;
  rule: AlertRule;
  windowStart: number;
  severity: "critical" | "warning";
  value: number;
  threshold: number;
  message: string;
};

/**
 * Records the alerts that are new for their window and returns them; one already recorded for the
 * same organization, rule and window is left alone (the unique key), so evaluating every minute
 * raises each alert once.
 */
export async function recordAlerts(env: Env, candidates: AlertCandidate[], now: Date): Promise<(AlertCandidate & { id: string })[]> {
  if (!candidates.length) return [];
  const rows = candidates.map((a) => ({ ...a, id: newId() }));
  const { results } = await env.DB.prepare(
    `insert into alerts (id, organization_id, rule, window_start, severity, value, threshold, message, created_at)
     select json_extract(value, '$.id'), json_extract(value, '$.organizationId'), json_extract(value, '$.rule'),
            json_extract(value, '$.windowStart'), json_extract(value, '$.severity'), json_extract(value, '$.value'),
            json_extract(value, '$.threshold'), json_extract(value, '$.message'), ?2
       from json_each(?1) where true
     on conflict (organization_id, rule, window_start) do nothing
     returning id`,
  )
    .bind(JSON.stringify(rows), now.getTime())
    .all<{ id: string }>();
  const inserted = new Set(results.map((r) => r.id));
  const fired = rows.filter((r) => inserted.has(r.id));
  for (const a of fired)
    log(a.severity === "critical" ? "error" : "warn", "alert fired", {
      organizationId: a.organizationId,
      rule: a.rule,
      value: a.value,
      threshold: a.threshold,
      alert: a.message,
    });
  await enqueueAlertNotices(env, fired);
  return fired;
}
