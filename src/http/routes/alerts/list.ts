import { createRoute } from "@hono/zod-openapi";
import { listAlerts } from "../../../services/alerts/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";
import { AlertSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Monitoring"],
  security: bearerSecurity,
  summary: "Alerts raised for the organization, and the service-health ones (scheduler, consumers), newest first",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(AlertSchema), "A page of alerts"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAlerts({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
