import { createRoute, z } from "@hono/zod-openapi";
import { removeUser } from "../../../services/users/remove";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam } from "../common";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["Users"],
  security: bearerSecurity,
  summary: "Remove a user (admins), revoking the API keys they created unless ?apiKeys=keep",
  request: {
    params: IdParam,
    query: z.object({
      apiKeys: z
        .enum(["revoke", "keep"])
        .default("revoke")
        .openapi({ description: "The API keys this user created: revoked with them (the default), or kept working without a creator" }),
    }),
  },
  responses: { 204: { description: "Removed" }, ...authErrors, ...conflictError },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await removeUser({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("query") });
    return c.body(null, 204);
  });
