import { createRoute, z } from "@hono/zod-openapi";
import { createDownloadLink } from "../../../services/executions/download";
import { getExecution } from "../../../services/executions/get";
import { listExecutions } from "../../../services/executions/list";
import { setExecutionPinned } from "../../../services/executions/pin";
import { retryExecution } from "../../../services/executions/retry";
import { protectedRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, IdParam, jsonContent, pageOf } from "../common";
import { ExecutionSchema, ListExecutionsQuery } from "./schema";

const tags = ["Executions"];
const security = bearerSecurity;

export const executionsRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security,
        summary: "The organization's execution history, newest first",
        request: { query: ListExecutionsQuery },
        responses: { 200: jsonContent(pageOf(ExecutionSchema), "A page of executions"), ...authErrors },
      }),
      async (c) => c.json(await listExecutions({ ctx: serviceContext(c), input: c.req.valid("query") }), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}",
        tags,
        security,
        summary: "One execution with its deliveries",
        request: { params: IdParam },
        responses: { 200: jsonContent(ExecutionSchema, "The execution"), ...authErrors },
      }),
      async (c) => c.json(await getExecution({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/retry",
        tags,
        security,
        summary: "Retry a failed or skipped execution, or a completed one's failed deliveries",
        request: { params: IdParam },
        responses: {
          202: jsonContent(z.object({ executionId: z.string(), retried: z.enum(["execution", "deliveries"]), deliveries: z.number() }), "Queued again"),
          ...authErrors,
          ...conflictError,
        },
      }),
      async (c) => c.json(await retryExecution({ ctx: serviceContext(c), id: c.req.valid("param").id }), 202),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/pin",
        tags,
        security,
        summary: "Keep this execution's file past retention (admins)",
        request: { params: IdParam },
        responses: { 200: jsonContent(ExecutionSchema, "Pinned"), ...authErrors },
      }),
      async (c) => c.json(await setExecutionPinned({ ctx: serviceContext(c), id: c.req.valid("param").id, pinned: true }), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/{id}/unpin",
        tags,
        security,
        summary: "Let retention remove this execution's file again (admins)",
        request: { params: IdParam },
        responses: { 200: jsonContent(ExecutionSchema, "Unpinned"), ...authErrors },
      }),
      async (c) => c.json(await setExecutionPinned({ ctx: serviceContext(c), id: c.req.valid("param").id, pinned: false }), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}/download",
        tags,
        security,
        summary: "A signed download link to the execution's file, valid 7 days",
        request: { params: IdParam },
        responses: { 200: jsonContent(z.object({ url: z.string(), expiresAt: z.string() }), "The link"), ...authErrors, ...conflictError },
      }),
      async (c) => c.json(await createDownloadLink({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200),
    );
