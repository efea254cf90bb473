import { and, desc, eq, inArray, or } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { alerts, SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";

/**
 * System-wide alerts every organization sees: the service's own health. The others (failure rate,
 * backlog, run time over every organization) are the operator's (GET /api/operator/alerts).
 */
const SHARED_SYSTEM_RULES = ["scheduler_heartbeat", "consumer_stalled"] as const;

export const toAlertDto = (a: typeof alerts.$inferSelect) => ({
  id: a.id,
  rule: a.rule,
  severity: a.severity,
  scope: a.organizationId === SYSTEM_ALERT_SCOPE ? ("system" as const) : ("organization" as const),
  value: a.value,
  threshold: a.threshold,
  message: a.message,
  windowStart: a.windowStart.toISOString(),
  createdAt: a.createdAt.toISOString(),
  resolvedAt: a.resolvedAt?.toISOString() ?? null,
  scheduledReportId: a.rule === "suspicious_empty" && a.subjectId ? a.subjectId : null,
});

/** The organization's alerts and the service-health ones, newest first. */
export async function listAlerts({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string } }) {
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(alerts)
    .where(
      and(
        or(
          eq(alerts.organizationId, ctx.auth.organizationId),
          and(eq(alerts.organizationId, SYSTEM_ALERT_SCOPE), inArray(alerts.rule, [...SHARED_SYSTEM_RULES])),
        ),
        olderThan(alerts.createdAt, alerts.id, cursor),
      ),
    )
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return {
    items: page.items.map(toAlertDto),
    nextCursor: page.nextCursor,
  };
}
