import { createRoute } from "@hono/zod-openapi";
import { listApiKeys } from "../../../services/api-keys/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";
import { ApiKeySchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["API keys"],
  security: bearerSecurity,
  summary: "List the organization's API keys (admins; never their secrets)",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(ApiKeySchema), "A page of API keys, newest first"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listApiKeys({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
