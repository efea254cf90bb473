import { createRoute, z } from "@hono/zod-openapi";
import { signup } from "../../../services/auth/signup";
import { authRateLimit } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, conflictError, jsonBody, jsonContent } from "../common";
import { OrganizationSchema, SignupSchema, UserSchema } from "./schema";
import { setSessionCookie } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/signup",
  tags: ["Accounts"],
  summary: "Create an organization and its first admin",
  middleware: [authRateLimit] as const,
  request: jsonBody(SignupSchema),
  responses: {
    201: jsonContent(z.object({ user: UserSchema, organization: OrganizationSchema, token: z.string() }), "Signed up and signed in"),
    ...conflictError,
    400: authErrors[400],
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { session, ...result } = await signup({ ...requestContext(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ ...result, token: session.token }, 201);
  });
