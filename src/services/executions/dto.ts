import type { reportDeliveries } from "../../db/schema";
import { type ExecutionRow, toExecutionSummary } from "../scheduled-reports/dto";

type DeliveryRow = typeof reportDeliveries.$inferSelect;

export const toDeliveryDto = (d: DeliveryRow) => ({
  id: d.id,
  recipientType: d.recipientType,
  recipientValue: d.recipientValue,
  status: d.status,
  attempts: d.attempts,
  lastError: d.lastError,
  deliveredAt: d.deliveredAt ? d.deliveredAt.toISOString() : null,
});

export function toExecutionDto(e: ExecutionRow, extra: { reportName?: string | null; deliveries?: DeliveryRow[] } = {}) {
  return {
    ...toExecutionSummary(e),
    scheduledReportId: e.scheduledReportId,
    reportName: extra.reportName ?? null,
    triggeredBy: e.triggeredBy,
    fileName: e.fileName,
    traceId: e.traceId,
    pinned: e.pinned,
    fileExpiredAt: e.fileExpiredAt ? e.fileExpiredAt.toISOString() : null,
    ...(extra.deliveries ? { deliveries: extra.deliveries.map(toDeliveryDto) } : {}),
  };
}
