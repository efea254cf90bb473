import { createRoute, z } from "@hono/zod-openapi";
import { errorMessage } from "../../../errors";
import { log } from "../../../lib/log";
import { requestPasswordReset } from "../../../services/auth/request-password-reset";
import { authRateLimit, clientIp } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, jsonBody, jsonContent } from "../common";
import { PasswordResetRequestSchema } from "./schema";

const ACCEPTED = {
  message:
    "If an account uses this address, a link to set a new password is on its way to it (one every 15 minutes at most; an earlier link still works). The link works once, for one hour.",
};

const route = createRoute({
  method: "post",
  path: "/auth/password-reset",
  tags: ["Accounts"],
  summary: "Email a one-time link to set a new password; the same answer whether or not the address has an account",
  middleware: [authRateLimit] as const,
  request: jsonBody(PasswordResetRequestSchema),
  responses: {
    202: jsonContent(z.object({ message: z.string() }), "Accepted (always, for any well-formed address)"),
    400: authErrors[400],
    429: { ...authErrors[400], description: "Too many requests from this address or for this email (rate_limited)" },
  },
});

export default (app: Router) =>
  app.openapi(route, (c) => {
    const requestId = c.get("requestId");
    // The answer goes out before the account is even looked up: it cannot differ, nor take longer,
    // for an address that has an account. The email is sent after it (waitUntil).
    const work = requestPasswordReset({ ...requestContext(c), input: c.req.valid("json"), ip: clientIp(c) }).catch((err: unknown) =>
      log("error", "password reset link not sent", { requestId, error: errorMessage(err) }),
    );
    c.executionCtx.waitUntil(work);
    return c.json(ACCEPTED, 202);
  });
