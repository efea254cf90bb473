import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../../lib/header-text";
import { createUser } from "../../../services/users/create";
import { type Router, serviceContext } from "../../router";

import { authErrors, bearerSecurity, conflictError, IdempotencyHeaders, idempotentPost, jsonBody, jsonContent } from "../common";

const CreateUserSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    role: z.enum(ROLES),
  })
  .strict()
  .openapi("CreateUser");

const InvitationSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES), expiresAt: z.string() }).openapi("Invitation");

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "Invite a member (admins)",
  description:
    "Emails the address a one-time link (valid 7 days) to set a password; the account is made when it is accepted. The answer is the same whether or not the address has an account in another organization (an address belongs to one account, so such an invitation cannot be accepted, and the address's owner is told). 409 when the address is already a member of this organization.",
  middleware: idempotentPost.middleware("admin"),
  request: { ...jsonBody(CreateUserSchema), headers: IdempotencyHeaders },
  responses: {
    202: jsonContent(z.object({ invitation: InvitationSchema }), "Invitation sent"),
    ...authErrors,
    ...conflictError,
    ...idempotentPost.idempotencyErrors,
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await createUser({ ctx: serviceContext(c), input: c.req.valid("json") }), 202));
