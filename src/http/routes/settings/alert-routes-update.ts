import { createRoute } from "@hono/zod-openapi";
import { AlertRoutesSchema, UpdateAlertRoutesSchema } from "../../../services/alert-routes/schema";
import { updateAlertRoutes } from "../../../services/alert-routes/update";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const route = createRoute({
  method: "patch",
  path: "/alert-routes",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Change where alerts go (admins); fields left out keep their value, null removes a route",
  request: jsonBody(UpdateAlertRoutesSchema),
  responses: { 200: jsonContent(AlertRoutesSchema, "Alert routes"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await updateAlertRoutes({ ctx: serviceContext(c), input: c.req.valid("json") }), 200));
