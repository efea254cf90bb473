import { and, eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { organizations, reportDeliveries, reportExecutions, scheduledReports } from "../../db/schema";

/**
 * A delivery with what sending it needs, every read scoped to the message's organization. The
 * report may have been deleted since the run (executions outlive it): its name then falls back.
 */
export async function loadDelivery(db: Db, deliveryId: string, organizationId: string) {
  const [row] = await db
    .select({ delivery: reportDeliveries, execution: reportExecutions, organization: organizations })
    .from(reportDeliveries)
    .innerJoin(reportExecutions, and(eq(reportExecutions.id, reportDeliveries.executionId), eq(reportExecutions.organizationId, organizationId)))
    .innerJoin(organizations, eq(organizations.id, reportDeliveries.organizationId))
    .where(and(eq(reportDeliveries.id, deliveryId), eq(reportDeliveries.organizationId, organizationId)));
  if (!row) return null;
  const report = await findReport(db, row.execution.scheduledReportId, organizationId);
  return {
    ...row,
    report: {
      id: row.execution.scheduledReportId,
      name: report?.name ?? row.execution.fileName ?? "Deleted report",
      createdBy: report?.createdBy ?? null,
      /** The report's current recipients; null once the report is deleted. */
      recipients: report?.recipients ?? null,
    },
  };
}

export type LoadedDelivery = NonNullable<Awaited<ReturnType<typeof loadDelivery>>>;

export async function findReport(db: Db, scheduledReportId: string, organizationId: string) {
  const [report] = await db
    .select({ name: scheduledReports.name, createdBy: scheduledReports.createdBy, recipients: scheduledReports.recipients })
    .from(scheduledReports)
    .where(and(eq(scheduledReports.id, scheduledReportId), eq(scheduledReports.organizationId, organizationId)));
  return report ?? null;
}
