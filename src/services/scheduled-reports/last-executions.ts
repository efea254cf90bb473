import { and, eq, inArray, sql } from "drizzle-orm";
import { reportExecutions } from "../../db/schema";
import type { ServiceContext } from "../context";
import type { ExecutionRow } from "./dto";

/** The newest execution of each report, in one query (ids are at most a page: under D1's 100 parameters). */
export async function lastExecutionsOf(ctx: ServiceContext, reportIds: string[]): Promise<Map<string, ExecutionRow>> {
  if (!reportIds.length) return new Map();
  const newest = ctx.db
    .select({
      id: reportExecutions.id,
      rank: sql<number>`row_number() over (partition by ${reportExecutions.scheduledReportId} order by ${reportExecutions.createdAt} desc, ${reportExecutions.id} desc)`.as(
        "rank",
      ),
    })
    .from(reportExecutions)
    .where(and(eq(reportExecutions.organizationId, ctx.auth.organizationId), inArray(reportExecutions.scheduledReportId, reportIds)))
    .as("newest");
  const rows = await ctx.db
    .select({ execution: reportExecutions })
    .from(reportExecutions)
    .innerJoin(newest, eq(newest.id, reportExecutions.id))
    .where(eq(newest.rank, 1));
  return new Map(rows.map(({ execution }) => [execution.scheduledReportId, execution]));
}
