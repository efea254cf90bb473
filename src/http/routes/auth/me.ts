import { createRoute, z } from "@hono/zod-openapi";
import { getMe } from "../../../services/auth/me";
import { requireAuth } from "../../middleware/auth";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";
import { OrganizationSchema, UserSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/me",
  tags: ["Accounts"],
  summary: "The current user and organization",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: { 200: jsonContent(z.object({ user: UserSchema, organization: OrganizationSchema }), "Who you are"), 401: authErrors[401], 403: authErrors[403] },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getMe({ ctx: serviceContext(c) }), 200));
