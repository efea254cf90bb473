import { createRoute, z } from "@hono/zod-openapi";
import { getSeries } from "../../../services/metrics/get-series";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const At = z.string().openapi({ description: "Start of the hour or UTC day (ISO 8601)" });

export const MetricsSeriesSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    step: z.enum(["hour", "day"]).openapi({ description: "Hours up to 7 days, days beyond" }),
    runs: z.array(z.object({ at: At, completed: z.number().int(), failed: z.number().int() })),
    durations: z.array(
      z.object({
        at: At,
        reportType: z.string(),
        count: z.number().int(),
        p50: z.number().openapi({ description: "Milliseconds, to two significant digits (rounded down)" }),
        p95: z.number(),
      }),
    ),
    deliveries: z.array(z.object({ at: At, channel: z.string(), sent: z.number().int(), failed: z.number().int(), bounced: z.number().int() })),
  })
  .openapi("MetricsSeries");

const route = createRoute({
  method: "get",
  path: "/series",
  tags: ["Monitoring"],
  security: bearerSecurity,
  summary: "Runs by outcome, run time p50/p95 per report type, and deliveries by channel, over time",
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(30).default(7) }) },
  responses: { 200: jsonContent(MetricsSeriesSchema, "The organization's figures per hour or day"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getSeries({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
