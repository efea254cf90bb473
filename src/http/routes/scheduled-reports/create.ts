import { createRoute } from "@hono/zod-openapi";
import { createScheduledReport } from "../../../services/scheduled-reports/create";
import { CreateScheduledReportSchema, ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdempotencyHeaders, idempotentPost, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Scheduled reports"],
  summary: "Create a scheduled report",
  security: bearerSecurity,
  middleware: idempotentPost.middleware("editor"),
  request: { ...jsonBody(CreateScheduledReportSchema), headers: IdempotencyHeaders },
  responses: { 201: jsonContent(ScheduledReportSchema, "The created report, with nextRunAt"), ...authErrors, ...idempotentPost.idempotencyErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const report = await createScheduledReport({ ctx: serviceContext(c), input: c.req.valid("json") });
    return c.json(report, 201);
  });
