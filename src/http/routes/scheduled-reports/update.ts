import { createRoute } from "@hono/zod-openapi";
import { ScheduledReportSchema, UpdateScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { updateScheduledReport } from "../../../services/scheduled-reports/update";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonBody, jsonContent, quotaError } from "../common";

const route = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["Scheduled reports"],
  summary: "Change some fields; a new schedule recomputes nextRunAt",
  security: bearerSecurity,
  request: { params: IdParam, ...jsonBody(UpdateScheduledReportSchema) },
  responses: { 200: jsonContent(ScheduledReportSchema, "The updated report"), ...authErrors, ...conflictError, ...quotaError },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const report = await updateScheduledReport({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") });
    return c.json(report, 200);
  });
