import { createRoute } from "@hono/zod-openapi";
import { revokeApiKey } from "../../../services/api-keys/revoke";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam } from "../common";

const route = createRoute({
  method: "delete",
  path: "/{id}",
  tags: ["API keys"],
  security: bearerSecurity,
  summary: "Revoke an API key (admins); it is refused from its next request on",
  request: { params: IdParam },
  responses: { 204: { description: "Revoked" }, ...authErrors },
});

export default (app: Router) =>
  app.openapi(route, async (c) => {
    await revokeApiKey({ ctx: serviceContext(c), id: c.req.valid("param").id });
    return c.body(null, 204);
  });
