import { createRoute } from "@hono/zod-openapi";
import { removeScheduledReport } from "../../../services/scheduled-reports/remove";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam } from "../common";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["Scheduled reports"],
  summary: "Delete a report (its executions and files stay until retention removes them)",
  security: bearerSecurity,
  request: { params: IdParam },
  responses: { 204: { description: "Deleted" }, ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await removeScheduledReport({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  });
