import { createRoute } from "@hono/zod-openapi";
import { removeUser } from "../../../services/users/remove";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam } from "../common";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "Remove a user (admins)",
  request: { params: IdParam },
  responses: { 204: { description: "Removed" }, ...authErrors, ...conflictError },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await removeUser({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  });
