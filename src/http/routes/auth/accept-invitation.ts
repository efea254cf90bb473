import { createRoute, z } from "@hono/zod-openapi";
import { acceptInvitation } from "../../../services/auth/accept-invitation";
import { authRateLimit } from "../../middleware/rate-limit";
import { type Router, requestContext } from "../../router";
import { authErrors, jsonBody, jsonContent } from "../common";
import { AcceptInvitationSchema, OrganizationSchema, UserSchema } from "./schema";
import { setSessionCookie } from "./session-cookie";

const route = createRoute({
  method: "post",
  path: "/auth/invitations/accept",
  tags: ["Accounts"],
  summary: "Set the password of an invited account with its one-time link, and sign in",
  middleware: [authRateLimit] as const,
  request: jsonBody(AcceptInvitationSchema),
  responses: {
    200: jsonContent(z.object({ user: UserSchema, organization: OrganizationSchema, token: z.string() }), "Password set and signed in"),
    400: authErrors[400],
    410: jsonContent(z.object({ error: z.object({ code: z.string(), message: z.string() }).passthrough() }), "The link was used, expired or never issued"),
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    const { session, ...result } = await acceptInvitation({ ...requestContext(c), input: c.req.valid("json") });
    setSessionCookie(c, session.token, session.expiresAt);
    return c.json({ ...result, token: session.token }, 200);
  });
