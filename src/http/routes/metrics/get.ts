import { createRoute, z } from "@hono/zod-openapi";
import { getMetrics } from "../../../services/metrics/get-metrics";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const Rate = z.object({ completed: z.number(), failed: z.number(), rate: z.number().nullable() });

export const MetricsSchema = z
  .object({
    generatedAt: z.string(),
    queue: z.object({
      executions: z.object({
        pending: z.number(),
        running: z.number(),
        oldestDueSeconds: z.number().openapi({ description: "How long the oldest run that is due has waited for the generation queue (0: none)" }),
      }),
      deliveries: z.object({
        pending: z.number(),
        oldestDueSeconds: z.number().openapi({ description: "How long the oldest due delivery has waited for the delivery queue (0: none)" }),
      }),
    }),
    successRate: z.object({ lastHour: Rate, last24Hours: Rate }),
    executionTimeMs: z.array(z.object({ reportType: z.string(), count: z.number(), p50: z.number(), p95: z.number(), p99: z.number() })),
    failuresByErrorClass: z.record(z.string(), z.number()),
    deliveriesByChannel: z.array(z.object({ channel: z.string(), status: z.string(), count: z.number() })),
    storage: z.object({ bytes: z.number(), files: z.number() }),
    timeline: z.array(z.object({ hour: z.string(), completed: z.number(), failed: z.number() })),
    business: z.object({
      activeReports: z.number(),
      pausedReports: z.number(),
      executionsToday: z.number(),
      executionsThisWeek: z.number(),
      mostUsedReportTypes: z.array(z.object({ reportType: z.string(), reports: z.number() })),
      averageRecipientsPerReport: z.number(),
    }),
  })
  .openapi("Metrics");

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Monitoring"],
  security: bearerSecurity,
  summary: "Queue backlog, success rates, execution time percentiles, failures, deliveries, storage and usage",
  responses: { 200: jsonContent(MetricsSchema, "The organization's figures"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getMetrics({ ctx: serviceContext(c) }), 200));
