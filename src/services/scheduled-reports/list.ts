import { and, desc, eq, type SQL, sql } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { scheduledReports } from "../../db/schema";
import { recipientsFor } from "../../domain/recipients";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";
import { toScheduledReportDto } from "./dto";
import { lastExecutionsOf } from "./last-executions";
import type { ListScheduledReportsInput } from "./schema";

export async function listScheduledReports({ ctx, input }: { ctx: ServiceContext; input: ListScheduledReportsInput }) {
  const cursor = decodeCursor(input.cursor);
  const where: (SQL | undefined)[] = [eq(scheduledReports.organizationId, ctx.auth.organizationId)];
  if (input.status) where.push(eq(scheduledReports.isActive, input.status === "active"));
  if (input.reportType) where.push(eq(scheduledReports.reportType, input.reportType));
  if (input.q) {
    const pattern = `%${input.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    where.push(sql`lower(${scheduledReports.name}) like ${pattern} escape '\\'`);
  }
  where.push(olderThan(scheduledReports.createdAt, scheduledReports.id, cursor));
  const rows = await ctx.db
    .select()
    .from(scheduledReports)
    .where(and(...where))
    .orderBy(desc(scheduledReports.createdAt), desc(scheduledReports.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  const last = await lastExecutionsOf(
    ctx,
    page.items.map((r) => r.id),
  );
  return {
    items: page.items.map((r) => toScheduledReportDto({ ...r, recipients: recipientsFor(ctx.auth.role, r.recipients) }, last.get(r.id) ?? null)),
    nextCursor: page.nextCursor,
  };
}
