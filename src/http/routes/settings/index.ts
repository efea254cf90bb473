import { createRoute } from "@hono/zod-openapi";
import { SettingsSchema, UpdateSettingsSchema } from "../../../services/settings/schema";
import { getSettings, updateSettings } from "../../../services/settings/settings";
import { protectedRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonBody, jsonContent } from "../common";

const tags = ["Settings"];

export const settingsRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security: bearerSecurity,
        summary: "The organization's settings",
        responses: { 200: jsonContent(SettingsSchema, "Settings"), ...authErrors },
      }),
      async (c) => c.json(await getSettings({ ctx: serviceContext(c) }), 200),
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/",
        tags,
        security: bearerSecurity,
        summary: "Change settings (admins); report types can be turned off here",
        request: jsonBody(UpdateSettingsSchema),
        responses: { 200: jsonContent(SettingsSchema, "Settings"), ...authErrors },
      }),
      async (c) => c.json(await updateSettings({ ctx: serviceContext(c), input: c.req.valid("json") }), 200),
    );
