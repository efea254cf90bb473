import { recipientsFor } from "../../domain/recipients";
import type { ServiceContext } from "../context";
import { toScheduledReportDto } from "./dto";
import { findScheduledReport } from "./find";
import { lastExecutionsOf } from "./last-executions";

export async function getScheduledReport({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const report = await findScheduledReport(ctx, id);
  const last = await lastExecutionsOf(ctx, [report.id]);
  return toScheduledReportDto({ ...report, recipients: recipientsFor(ctx.auth.role, report.recipients) }, last.get(report.id) ?? null);
}
