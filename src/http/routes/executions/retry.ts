import { createRoute, z } from "@hono/zod-openapi";
import { retryExecution } from "../../../services/executions/retry";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdempotencyHeaders, IdParam, idempotentPost, jsonContent } from "../common";

const route = createRoute({
  method: "post",
  path: "/{id}/retry",
  tags: ["Executions"],
  security: bearerSecurity,
  summary: "Retry a failed or skipped execution, or a completed one's failed deliveries",
  middleware: idempotentPost.middleware("editor"),
  request: { params: IdParam, headers: IdempotencyHeaders },
  responses: {
    202: jsonContent(z.object({ executionId: z.string(), retried: z.enum(["execution", "deliveries"]), deliveries: z.number() }), "Queued again"),
    ...authErrors,
    ...conflictError,
    ...idempotentPost.idempotencyErrors,
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await retryExecution({ ctx: serviceContext(c), id: c.req.valid("param").id }), 202));
