import { z } from "@hono/zod-openapi";
import { DELIVERY_STATUSES, EXECUTION_STATUSES, RECIPIENT_TYPES } from "../../../db/schema";
import { ExecutionSummarySchema } from "../../../services/scheduled-reports/schema";

export const DeliverySchema = z
  .object({
    id: z.string(),
    recipientType: z.enum(RECIPIENT_TYPES),
    recipientValue: z.string(),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.number(),
    lastError: z.string().nullable(),
    deliveredAt: z.string().nullable(),
  })
  .openapi("Delivery");

export const ExecutionSchema = ExecutionSummarySchema.extend({
  scheduledReportId: z.string(),
  reportName: z.string().nullable(),
  triggeredBy: z.string().nullable(),
  fileName: z.string().nullable(),
  traceId: z.string(),
  pinned: z.boolean(),
  fileExpiredAt: z.string().nullable(),
  deliveries: z.array(DeliverySchema).optional(),
}).openapi("Execution");

export const ListExecutionsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(512).optional(),
  status: z.enum(EXECUTION_STATUSES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
