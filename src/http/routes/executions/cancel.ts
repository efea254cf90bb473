import { createRoute } from "@hono/zod-openapi";
import { cancelExecution } from "../../../services/executions/cancel";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonContent } from "../common";
import { ExecutionSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/{id}/cancel",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Cancel a pending or running execution: it stops, releases its report and delivers nothing",
  request: { params: IdParam },
  responses: { 200: jsonContent(ExecutionSchema, "Cancelled"), ...authErrors, ...conflictError },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await cancelExecution({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
