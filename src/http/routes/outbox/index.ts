import { createRoute, z } from "@hono/zod-openapi";
import { getOutboxMessage, openOutboxAttachment } from "../../../services/outbox/get";
import { listOutbox } from "../../../services/outbox/list";
import { protectedRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent, PaginationQuery, pageOf } from "../common";

const Attachment = z.object({ name: z.string(), contentType: z.string().nullable(), size: z.number().nullable(), url: z.string() }).nullable();
const OutboxSummary = z
  .object({ id: z.string(), from: z.string(), to: z.string(), subject: z.string(), attachment: Attachment, createdAt: z.string() })
  .openapi("OutboxMessageSummary");
const OutboxMessage = OutboxSummary.extend({ text: z.string(), html: z.string() }).openapi("OutboxMessage");

const tags = ["Local development"];
const security = bearerSecurity;

/** Mounted at /outbox (session required): the emails kept instead of sent under local development; 404 elsewhere. */
export const outboxRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security,
        summary: "Emails the local outbox kept, newest first (local development only)",
        request: { query: PaginationQuery.extend({ to: z.string().max(320).optional() }) },
        responses: { 200: jsonContent(pageOf(OutboxSummary), "A page of messages"), ...authErrors },
      }),
      async (c) => c.json(await listOutbox({ ctx: serviceContext(c), input: c.req.valid("query") }), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}",
        tags,
        security,
        summary: "One kept email with its bodies",
        request: { params: IdParam },
        responses: { 200: jsonContent(OutboxMessage, "The message"), ...authErrors },
      }),
      async (c) => c.json(await getOutboxMessage({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200),
    )
    .openapi(
      createRoute({
        method: "get",
        path: "/{id}/attachment",
        tags,
        security,
        summary: "The kept email's attachment",
        request: { params: IdParam },
        responses: {
          200: { description: "The attachment", content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } } },
          ...authErrors,
        },
      }),
      async (c) => {
        const { object, fileName, contentType } = await openOutboxAttachment({ ctx: serviceContext(c), id: c.req.valid("param").id });
        const headers = new Headers({
          "content-type": contentType,
          "content-disposition": `attachment; filename="${fileName.replace(/"/g, "")}"`,
          "content-length": String(object.size),
          "cache-control": "private, no-store",
          "x-content-type-options": "nosniff",
        });
        return new Response(object.body, { status: 200, headers }) as never;
      },
    );
