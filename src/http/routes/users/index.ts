import { createRoute, z } from "@hono/zod-openapi";
import { ROLES } from "../../../db/schema";
import { createUser } from "../../../services/users/create";
import { listUsers } from "../../../services/users/list";
import { removeUser } from "../../../services/users/remove";
import { updateUser } from "../../../services/users/update";
import { protectedRouter, serviceContext } from "../../router";
import { PasswordSchema, UserSchema } from "../auth/schema";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonBody, jsonContent, PaginationQuery, pageOf } from "../common";

const CreateUserSchema = z
  .object({ email: z.email().max(254), name: z.string().trim().min(1).max(120), role: z.enum(ROLES), password: PasswordSchema })
  .strict()
  .openapi("CreateUser");
const UpdateUserSchema = z
  .object({ name: z.string().trim().min(1).max(120).optional(), role: z.enum(ROLES).optional(), password: PasswordSchema.optional() })
  .strict()
  .openapi("UpdateUser");

const tags = ["Users"];
const security = bearerSecurity;

export const usersRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security,
        summary: "List the organization's users (admins)",
        request: { query: PaginationQuery },
        responses: { 200: jsonContent(pageOf(UserSchema), "A page of users"), ...authErrors },
      }),
      async (c) => c.json(await listUsers({ ctx: serviceContext(c), input: c.req.valid("query") }), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/",
        tags,
        security,
        summary: "Add a user (admins)",
        request: jsonBody(CreateUserSchema),
        responses: { 201: jsonContent(z.object({ user: UserSchema }), "Created"), ...authErrors, ...conflictError },
      }),
      async (c) => c.json({ user: await createUser({ ctx: serviceContext(c), input: c.req.valid("json") }) }, 201),
    )
    .openapi(
      createRoute({
        method: "patch",
        path: "/{id}",
        tags,
        security,
        summary: "Change a user's name, role or password (admins)",
        request: { params: IdParam, ...jsonBody(UpdateUserSchema) },
        responses: { 200: jsonContent(z.object({ user: UserSchema }), "Updated"), ...authErrors, ...conflictError },
      }),
      async (c) => c.json({ user: await updateUser({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }) }, 200),
    )
    .openapi(
      createRoute({
        method: "delete",
        path: "/{id}",
        tags,
        security,
        summary: "Remove a user (admins)",
        request: { params: IdParam },
        responses: { 204: { description: "Removed" }, ...authErrors, ...conflictError },
      }),
      async (c) => {
        await removeUser({ ctx: serviceContext(c), id: c.req.valid("param").id });
        return c.body(null, 204);
      },
    );
