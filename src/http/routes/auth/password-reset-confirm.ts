import { createRoute } from "@hono/zod-openapi";
import { confirmPasswordReset } from "../../../services/auth/confirm-password-reset";
import { authRateLimit } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, ErrorSchema, jsonBody, jsonContent } from "../common";
import { PasswordResetConfirmSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/auth/password-reset/confirm",
  tags: ["Accounts"],
  summary: "Set a new password with the emailed one-time link; every session of the account ends",
  middleware: [authRateLimit] as const,
  request: jsonBody(PasswordResetConfirmSchema),
  responses: {
    204: { description: "Password set; sign in with it (every session of the account has ended)" },
    400: authErrors[400],
    410: jsonContent(ErrorSchema, "The link was used, superseded by a newer one, expired, or never issued (link_expired)"),
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { db, now } = requestContext(c);
    await confirmPasswordReset({ db, now, input: c.req.valid("json") });
    return c.body(null, 204);
  });
