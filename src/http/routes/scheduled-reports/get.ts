import { createRoute } from "@hono/zod-openapi";
import { getScheduledReport } from "../../../services/scheduled-reports/get";
import { ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Scheduled reports"],
  summary: "One scheduled report, with its last execution",
  security: bearerSecurity,
  request: { params: IdParam },
  responses: { 200: jsonContent(ScheduledReportSchema, "The report"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getScheduledReport({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
