import { createRoute } from "@hono/zod-openapi";
import { listScheduledReports } from "../../../services/scheduled-reports/list";
import { ListScheduledReportsQuery, ScheduledReportSchema } from "../../../services/scheduled-reports/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, pageSchema } from "../common";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Scheduled reports"],
  summary: "List the organization's scheduled reports, newest first",
  security: bearerSecurity,
  request: { query: ListScheduledReportsQuery },
  responses: { 200: jsonContent(pageSchema(ScheduledReportSchema), "A page of reports"), ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json(await listScheduledReports({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
