import { createRoute } from "@hono/zod-openapi";
import { createScheduledReport } from "../../../services/scheduled-reports/create";
import { CreateScheduledReportSchema, ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Scheduled reports"],
  summary: "Create a scheduled report",
  security: bearerSecurity,
  request: jsonBody(CreateScheduledReportSchema),
  responses: { 201: jsonContent(ScheduledReportSchema, "The created report, with nextRunAt"), ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const report = await createScheduledReport({ ctx: serviceContext(c), input: c.req.valid("json") });
    return c.json(report, 201);
  });
