import { createRoute, z } from "@hono/zod-openapi";
import { listExecutions } from "../../../services/executions/list";
import { runNow } from "../../../services/executions/run-now";
import { triggerReport } from "../../../services/executions/trigger";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdempotencyHeaders, IdParam, idempotentPost, jsonContent, pageSchema } from "../common";
import { ExecutionSchema, ListExecutionsQuery } from "../executions/schema";

const tags = ["Scheduled reports"];

const TriggerSchema = z
  .object({
    parameters: z.record(z.string(), z.unknown()).optional().openapi({ description: "Parameters for this run, over the report's own" }),
    dataAsOf: z.iso.datetime({ offset: true }).optional().openapi({ description: "The time the data is as of, shown in the report" }),
  })
  .strict()
  .openapi("Trigger");

export default (app: Router) =>
  app
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/run",
        tags,
        security: bearerSecurity,
        summary: "Run now, outside the schedule",
        middleware: idempotentPost.middleware("editor"),
        request: { params: IdParam, headers: IdempotencyHeaders },
        responses: { 202: jsonContent(z.object({ executionId: z.string() }), "Queued"), ...authErrors, ...idempotentPost.idempotencyErrors },
      }),
      async (c) => c.json(await runNow({ ctx: serviceContext(c), id: c.req.valid("param").id }), 202),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/trigger",
        tags,
        security: bearerSecurity,
        summary: "Data-ready trigger: run a report that waits for one, at most once per day",
        description:
          'For a report whose schedule is {"trigger": "event"}: the first trigger of the day (in the report\'s timezone) runs it (202); later ones that day answer 200 with duplicate: true. The body may override parameters and say what time the data is as of. Overriding parameters takes the report\'s manager (its owner-editor or an admin); another editor may set only those the report lists in triggerParameters (403 otherwise).',
        middleware: idempotentPost.middleware("editor"),
        request: { params: IdParam, headers: IdempotencyHeaders, body: { content: { "application/json": { schema: TriggerSchema } }, required: false } },
        responses: {
          202: jsonContent(z.object({ executionId: z.string(), duplicate: z.literal(false) }), "Queued"),
          200: jsonContent(z.object({ executionId: z.string(), duplicate: z.literal(true) }), "This period already ran (or is running)"),
          ...authErrors,
          ...conflictError,
          ...idempotentPost.idempotencyErrors,
        },
      }),
      async (c) => {
        const result = await triggerReport({ ctx: serviceContext(c), id: c.req.valid("param").id, input: c.req.valid("json") ?? {} });
        return result.duplicate
          ? c.json({ executionId: result.executionId, duplicate: true as const }, 200)
          : c.json({ executionId: result.executionId, duplicate: false as const }, 202);
      },
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
