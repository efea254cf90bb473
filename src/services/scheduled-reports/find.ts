import { and, eq } from "drizzle-orm";
import { scheduledReports } from "../../db/schema";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";

export const scopedReport = (ctx: ServiceContext, id: string) => and(eq(scheduledReports.id, id), eq(scheduledReports.organizationId, ctx.auth.organizationId));

/** A report of the caller's organization, or 404 (never 403: no existence oracle across tenants). */
export async function findScheduledReport(ctx: ServiceContext, id: string) {
  const [report] = await ctx.db.select().from(scheduledReports).where(scopedReport(ctx, id));
  if (!report) throw new NotFoundError("Scheduled report");
  return report;
}
