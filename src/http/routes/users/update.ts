import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";
import { CONTROL_CHARACTERS_MESSAGE, hasNoControlCharacters } from "../../../lib/header-text";
import { updateUser } from "../../../services/users/update";
import { type Router, serviceContext } from "../../router";
import { PasswordSchema, UserSchema } from "../auth/schema";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonBody, jsonContent } from "../common";

const UpdateUserSchema = z
  .object({
    name: z.string().trim().min(1).max(120).refine(hasNoControlCharacters, CONTROL_CHARACTERS_MESSAGE).optional(),
    role: z.enum(ROLES).optional(),
    password: PasswordSchema.optional(),
  })
  .strict()
  .openapi("UpdateUser");

const route = createRoute({
  method: "patch",
  path: "/{id}",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "Change a user's name, role or password (admins)",
  request: { params: IdParam, ...jsonBody(UpdateUserSchema) },
  responses: { 200: jsonContent(z.object({ user: UserSchema }), "Updated"), ...authErrors, ...conflictError },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json({ user: await updateUser({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }) }, 200));
