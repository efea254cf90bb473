import { createRoute } from "@hono/zod-openapi";
import { getExecution } from "../../../services/executions/get";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent } from "../common";
import { ExecutionSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "One execution with its deliveries",
  request: { params: IdParam },
  responses: { 200: jsonContent(ExecutionSchema, "The execution"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getExecution({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
