import { desc } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { alerts, SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { decodeCursor, pageOf } from "../../lib/cursor";
import { toAlertDto } from "../alerts/list";
import type { OperatorContext } from "./context";

/** Every alert of every organization and the system-wide ones, newest first: the operator's view. */
export async function listAllAlerts({ ctx, input }: { ctx: OperatorContext; input: { limit: number; cursor?: string } }) {
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(alerts)
    .where(olderThan(alerts.createdAt, alerts.id, cursor))
    .orderBy(desc(alerts.createdAt), desc(alerts.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return {
    items: page.items.map((a) => ({ ...toAlertDto(a), organizationId: a.organizationId === SYSTEM_ALERT_SCOPE ? null : a.organizationId })),
    nextCursor: page.nextCursor,
  };
}
