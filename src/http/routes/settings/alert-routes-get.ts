import { createRoute } from "@hono/zod-openapi";
import { getAlertRoutes } from "../../../services/alert-routes/get";
import { AlertRoutesSchema } from "../../../services/alert-routes/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/alert-routes",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Where the organization's alerts go: its admins by email, a Slack webhook, a signed webhook",
  responses: { 200: jsonContent(AlertRoutesSchema, "Alert routes"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getAlertRoutes({ ctx: serviceContext(c) }), 200));
