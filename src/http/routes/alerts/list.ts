import { createRoute, z } from "@hono/zod-openapi";
import { ALERT_RULES } from "../../../db/schema";
import { listAlerts } from "../../../services/alerts/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";

const AlertSchema = z
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
  })
  .openapi("Alert");

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Monitoring"],
  security: bearerSecurity,
  summary: "Alerts raised for the organization, and system-wide ones, newest first",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(AlertSchema), "A page of alerts"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAlerts({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
