import { createRoute } from "@hono/zod-openapi";
import { listUsers } from "../../../services/users/list";
import { type Router, serviceContext } from "../../router";
import { UserSchema } from "../auth/schema";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "List the organization's users (admins)",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(UserSchema), "A page of users"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listUsers({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
