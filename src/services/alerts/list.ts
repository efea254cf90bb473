import { and, desc, inArray } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { alerts, SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";

/** The organization's alerts and the system-wide ones, newest first. */
export async function listAlerts({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string } }) {
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(alerts)
    .where(and(inArray(alerts.organizationId, [ctx.auth.organizationId, SYSTEM_ALERT_SCOPE]), olderThan(alerts.createdAt, alerts.id, cursor)))
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return {
    items: page.items.map((a) => ({
      id: a.id,
      rule: a.rule,
      severity: a.severity,
      scope: a.organizationId === SYSTEM_ALERT_SCOPE ? ("system" as const) : ("organization" as const),
      value: a.value,
      threshold: a.threshold,
      message: a.message,
      windowStart: a.windowStart.toISOString(),
      createdAt: a.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
