import { and, asc, eq } from "drizzle-orm";
import { reportDeliveries, scheduledReports } from "../../db/schema";
import { recipientValueFor } from "../../domain/recipients";
import type { ServiceContext } from "../context";
import { toExecutionDto } from "./dto";
import { findExecution } from "./find";

export async function getExecution({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const execution = await findExecution(ctx, id);
  const [deliveries, report] = await Promise.all([
    ctx.db
      .select()
      .from(reportDeliveries)
      .where(and(eq(reportDeliveries.executionId, id), eq(reportDeliveries.organizationId, ctx.auth.organizationId)))
      .orderBy(asc(reportDeliveries.createdAt), asc(reportDeliveries.id)),
    ctx.db
      .select({ name: scheduledReports.name })
      .from(scheduledReports)
      .where(and(eq(scheduledReports.id, execution.scheduledReportId), eq(scheduledReports.organizationId, ctx.auth.organizationId))),
  ]);
  const shown = deliveries.map((d) => ({ ...d, recipientValue: recipientValueFor(ctx.auth.role, { type: d.recipientType, value: d.recipientValue }) }));
  return toExecutionDto(execution, { reportName: report[0]?.name ?? null, deliveries: shown });
}
