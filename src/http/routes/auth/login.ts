import { createRoute, z } from "@hono/zod-openapi";
import { login } from "../../../services/auth/login";
import { authRateLimit, clientIp } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, jsonBody, jsonContent, tooManyAttempts } from "../common";
import { LoginSchema, UserSchema } from "./schema";
import { setSessionCookie } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Accounts"],
  summary: "Sign in; sets the session cookie and returns a bearer token",
  middleware: [authRateLimit] as const,
  request: jsonBody(LoginSchema),
  responses: {
    200: jsonContent(z.object({ user: UserSchema, token: z.string() }), "Signed in"),
    400: authErrors[400],
    401: authErrors[401],
    ...tooManyAttempts,
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { session, user } = await login({ ...requestContext(c), input: c.req.valid("json"), ip: clientIp(c) });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ user, token: session.token }, 200);
  });
