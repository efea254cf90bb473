import { createRoute } from "@hono/zod-openapi";
import { changePassword } from "../../../services/auth/change-password";
import { requireAuth } from "../../middleware/auth";
import { limitPasswordAttempts } from "../../middleware/rate-limit";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, jsonBody } from "../common";
import { ChangePasswordSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Accounts"],
  summary: "Change your password (a signed-in person, not an API key); your other sessions end",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  request: jsonBody(ChangePasswordSchema),
  responses: {
    204: { description: "Changed; every other session of yours has ended, this one stays" },
    400: { ...authErrors[400], description: "Invalid input, or the current password is wrong (validation_failed, detail on currentPassword)" },
    401: authErrors[401],
    403: { ...authErrors[403], description: "An API key cannot change a password" },
    ...conflictError,
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const input = c.req.valid("json");
    await limitPasswordAttempts(c);
    await changePassword({ ctx: serviceContext(c), input });
    return c.body(null, 204);
  });
