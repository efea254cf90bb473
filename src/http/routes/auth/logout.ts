import { createRoute } from "@hono/zod-openapi";
import { logout } from "../../../services/auth/logout";
import { requireAuth } from "../../middleware/auth";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity } from "../common";
import { clearSessionCookie } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Accounts"],
  summary: "End the current session",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: { 204: { description: "Signed out" }, 401: authErrors[401] },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await logout({ ctx: serviceContext(c) });
    clearSessionCookie(c);
    return c.body(null, 204);
  });
