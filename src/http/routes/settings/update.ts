import { createRoute } from "@hono/zod-openapi";
import { SettingsSchema, UpdateSettingsSchema } from "../../../services/settings/schema";
import { updateSettings } from "../../../services/settings/settings";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent, quotaError } from "../common";

const route = createRoute({
  method: "patch",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Change settings (admins); report types can be turned off here",
  request: jsonBody(UpdateSettingsSchema),
  responses: { 200: jsonContent(SettingsSchema, "Settings"), ...authErrors, ...quotaError },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await updateSettings({ ctx: serviceContext(c), input: c.req.valid("json") }), 200));
