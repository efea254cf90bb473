import { createRoute, z } from "@hono/zod-openapi";
import { createDb } from "../../../db/client";
import { login } from "../../../services/auth/login";
import { logout } from "../../../services/auth/logout";
import { getMe } from "../../../services/auth/me";
import { signup } from "../../../services/auth/signup";
import { requireAuth } from "../../middleware/auth";
import { authRateLimit } from "../../middleware/rate-limit";
import { newRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, jsonBody, jsonContent } from "../common";
import { LoginSchema, OrganizationSchema, SignupSchema, UserSchema } from "./schema";
import { clearSessionCookie, setSessionCookie } from "./session-cookie";

const signupRoute = createRoute({
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

const loginRoute = createRoute({
  method: "post",
  path: "/auth/login",
  tags: ["Accounts"],
  summary: "Sign in; sets the session cookie and returns a bearer token",
  middleware: [authRateLimit] as const,
  request: jsonBody(LoginSchema),
  responses: { 200: jsonContent(z.object({ user: UserSchema, token: z.string() }), "Signed in"), 400: authErrors[400], 401: authErrors[401] },
});

const logoutRoute = createRoute({
  method: "post",
  path: "/auth/logout",
  tags: ["Accounts"],
  summary: "End the current session",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: { 204: { description: "Signed out" }, 401: authErrors[401] },
});

const meRoute = createRoute({
  method: "get",
  path: "/me",
  tags: ["Accounts"],
  summary: "The current user and organization",
  security: bearerSecurity,
  middleware: [requireAuth] as const,
  responses: { 200: jsonContent(z.object({ user: UserSchema, organization: OrganizationSchema }), "Who you are"), 401: authErrors[401] },
});

export const authRoutes = () =>
  newRouter()
    .openapi(signupRoute, async (c) => {
      const { session, ...result } = await signup({ db: createDb(c.env.DB), env: c.env, now: new Date(), input: c.req.valid("json") });
      setSessionCookie(c, session.token, session.expiresAt);
      return c.json({ ...result, token: session.token }, 201);
    })
    .openapi(loginRoute, async (c) => {
      const { session, user } = await login({ db: createDb(c.env.DB), env: c.env, now: new Date(), input: c.req.valid("json") });
      setSessionCookie(c, session.token, session.expiresAt);
      return c.json({ user, token: session.token }, 200);
    })
    .openapi(logoutRoute, async (c) => {
      await logout({ ctx: serviceContext(c) });
      clearSessionCookie(c);
      return c.body(null, 204);
    })
    .openapi(meRoute, async (c) => c.json(await getMe({ ctx: serviceContext(c) }), 200));
