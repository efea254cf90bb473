import { createRoute, z } from "@hono/zod-openapi";
import { listExecutions } from "../../../services/executions/list";
import { runNow } from "../../../services/executions/run-now";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdempotencyHeaders, IdParam, idempotentPost, jsonContent, pageSchema } from "../common";
import { ExecutionSchema, ListExecutionsQuery } from "../executions/schema";

const tags = ["Scheduled reports"];

export default (app: Router) =>
  app
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/run",
        tags,
        security: bearerSecurity,
        summary: "Run now, outside the schedule",
        middleware: idempotentPost.middleware,
        request: { params: IdParam, headers: IdempotencyHeaders },
        responses: { 202: jsonContent(z.object({ executionId: z.string() }), "Queued"), ...authErrors, ...idempotentPost.idempotencyErrors },
      }),
      async (c) => c.json(await runNow({ ctx: serviceContext(c), id: c.req.valid("param").id }), 202),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}/executions",
        tags,
        security: bearerSecurity,
        summary: "The report's execution history, newest first",
        request: { params: IdParam, query: ListExecutionsQuery },
        responses: { 200: jsonContent(pageSchema(ExecutionSchema), "A page of executions"), ...authErrors },
      }),
      async (c) =>
        c.json(await listExecutions({ ctx: serviceContext(c), input: { ...c.req.valid("query"), scheduledReportId: c.req.valid("param").id } }), 200),
    );
