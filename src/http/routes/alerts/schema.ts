import { z } from "@hono/zod-openapi";
import { ALERT_RULES } from "../../../db/schema";

export const AlertSchema = z
  .object({
    id: z.string(),
    rule: z.enum(ALERT_RULES),
    severity: z.enum(["critical", "warning"]),
    scope: z.enum(["organization", "system"]),
    value: z.number(),
    threshold: z.number(),
    message: z.string(),
    windowStart: z.string(),
    createdAt: z.string(),
    resolvedAt: z.string().nullable().openapi({ description: "When the condition cleared; null while it holds" }),
    scheduledReportId: z.string().nullable().openapi({ description: "The report a per-report alert (suspicious_empty) is about; null for the others" }),
  })
  .openapi("Alert");
