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
  /** For a rule about one object (suspicious_empty: the report); each object has its own alert. */
  subjectId?: string;
};

/**
 * Records the alerts that are new for their window and returns them; one already recorded for the
 * same organization, rule and window is left alone (the unique key), so evaluating every minute
 * raises each alert once per window (a condition that lasts is announced again in the next window).
 */
export async function recordAlerts(env: Env, candidates: AlertCandidate[], now: Date): Promise<(AlertCandidate & { id: string })[]> {
  if (!candidates.length) return [];
  const rows = candidates.map((a) => ({ ...a, subjectId: a.subjectId ?? "", id: newId() }));
  const { results } = await env.DB.prepare(
    `insert into alerts (id, organization_id, rule, window_start, severity, value, threshold, message, subject_id, created_at)
     select json_extract(value, '$.id'), json_extract(value, '$.organizationId'), json_extract(value, '$.rule'),
            json_extract(value, '$.windowStart'), json_extract(value, '$.severity'), json_extract(value, '$.value'),
            json_extract(value, '$.threshold'), json_extract(value, '$.message'), json_extract(value, '$.subjectId'), ?2
       from json_each(?1) where true
     on conflict (organization_id, rule, window_start, subject_id) do nothing
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

/**
 * Resolves the open alerts of the rules just evaluated whose condition no longer holds (no
 * candidate for their organization and rule), and announces each cleared condition once: on the
 * newest of its open alerts (earlier windows of the same condition close with it, unannounced).
 * The update's status guard (`resolved_at is null`) makes a repeated evaluation announce nothing.
 */
export async function resolveAlerts(env: Env, rules: readonly AlertRule[], firing: { organizationId: string; rule: AlertRule }[], now: Date) {
  const { results } = await env.DB.prepare(
    `update alerts set resolved_at = ?3
      where resolved_at is null and rule in (select value from json_each(?1))
        and organization_id || ':' || rule not in (select value from json_each(?2))
     returning id, organization_id as organizationId, rule, created_at as createdAt`,
  )
    .bind(JSON.stringify(rules), JSON.stringify(firing.map((a) => `${a.organizationId}:${a.rule}`)), now.getTime())
    .all<{ id: string; organizationId: string; rule: AlertRule; createdAt: number }>();
  const newest = new Map<string, (typeof results)[number]>();
  for (const r of results) {
    const key = `${r.organizationId}:${r.rule}`;
    const seen = newest.get(key);
    if (!seen || r.createdAt > seen.createdAt) newest.set(key, r);
  }
  const cleared = [...newest.values()];
  for (const a of cleared) log("info", "alert resolved", { organizationId: a.organizationId, rule: a.rule, alertId: a.id });
  await enqueueAlertNotices(env, cleared, "resolved");
  return cleared;
}
