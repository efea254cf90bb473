import { createRoute } from "@hono/zod-openapi";
import { listExecutions } from "../../../services/executions/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, pageSchema } from "../common";
import { ExecutionSchema, ListExecutionsQuery } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "The organization's execution history, newest first",
  request: { query: ListExecutionsQuery },
  responses: { 200: jsonContent(pageSchema(ExecutionSchema), "A page of executions"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listExecutions({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
