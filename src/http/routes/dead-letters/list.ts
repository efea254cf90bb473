import { createRoute } from "@hono/zod-openapi";
import { listDeadLetters } from "../../../services/dead-letters/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";
import { DeadLetterSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Messages of the organization that exhausted their retries, newest first (admins)",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(DeadLetterSchema), "A page of dead letters"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listDeadLetters({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
