import { createRoute } from "@hono/zod-openapi";
import { SettingsSchema } from "../../../services/settings/schema";
import { getSettings } from "../../../services/settings/settings";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "The organization's settings",
  responses: { 200: jsonContent(SettingsSchema, "Settings"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getSettings({ ctx: serviceContext(c) }), 200));
