import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../../lib/header-text";
import { createUser } from "../../../services/users/create";
import { type Router, serviceContext } from "../../router";
import { PasswordSchema, UserSchema } from "../auth/schema";
import { authErrors, bearerSecurity, conflictError, IdempotencyHeaders, idempotentPost, jsonBody, jsonContent } from "../common";

const CreateUserSchema = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE),
    role: z.enum(ROLES),
    password: PasswordSchema,
  })
  .strict()
  .openapi("CreateUser");

const route = createRoute({
  method: "post",
  path: "/",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "Add a user (admins)",
  middleware: idempotentPost.middleware,
  request: { ...jsonBody(CreateUserSchema), headers: IdempotencyHeaders },
  responses: { 201: jsonContent(z.object({ user: UserSchema }), "Created"), ...authErrors, ...conflictError, ...idempotentPost.idempotencyErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json({ user: await createUser({ ctx: serviceContext(c), input: c.req.valid("json") }) }, 201));
