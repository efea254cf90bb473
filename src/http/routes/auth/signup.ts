import { createRoute, z } from "@hono/zod-openapi";
import { confirmSignup } from "../../../services/auth/confirm-signup";
import { signup } from "../../../services/auth/signup";
import { authRateLimit } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, jsonBody, jsonContent, tooManyAttempts } from "../common";
import { ConfirmSignupSchema, OrganizationSchema, SignupSchema, UserSchema } from "./schema";
import { setSessionCookie } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/signup",
  tags: ["Accounts"],
  summary: "Sign up: emails a link that creates the organization and its first admin",
  description:
    "Answers the same whether or not the address has an account: a new address gets a confirmation link (valid 24 hours), an address with an account gets a note that someone tried. At most one email to an address every 15 minutes.",
  middleware: [authRateLimit] as const,
  request: jsonBody(SignupSchema),
  responses: {
    202: jsonContent(z.object({ status: z.literal("check_email") }), "Check your email"),
    400: authErrors[400],
    403: authErrors[403],
    ...tooManyAttempts,
  },
});

const confirm = createRoute({
  method: "post",
  path: "/auth/signup/confirm",
  tags: ["Accounts"],
  summary: "Confirm a sign-up with its one-time link: creates the organization and its admin, and signs in",
  middleware: [authRateLimit] as const,
  request: jsonBody(ConfirmSignupSchema),
  responses: {
    201: jsonContent(z.object({ user: UserSchema, organization: OrganizationSchema, token: z.string() }), "Signed up and signed in"),
    400: authErrors[400],
    ...tooManyAttempts,
    410: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string() }).passthrough() }), "The link was used, expired or never issued"),
  },
});

export default (app: Router) => {
  app.openapi(route, async (c) => {
    await signup({ ...requestContext(c), input: c.req.valid("json") });
    return c.json({ status: "check_email" as const }, 202);
  });
  app.openapi(confirm, async (c) => {
    const { session, ...result } = await confirmSignup({ ...requestContext(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ ...result, token: session.token }, 201);
  });
};
