import { createRoute, z } from "@hono/zod-openapi";
import { listAuditEvents } from "../../../services/audit/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";

const AuditEventSchema = z
  .object({
    id: z.string(),
    type: z.string(),
    actorId: z.string().nullable(),
    targetType: z.string().nullable(),
    targetId: z.string().nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .openapi("AuditEvent");

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Audit"],
  security: bearerSecurity,
  summary: "The organization's audit log, newest first (admins)",
  request: {
    query: PaginationQuery.extend({
      type: z.string().max(64).optional(),
      actor: z.string().max(64).optional(),
      from: z.iso.datetime({ offset: true }).optional(),
      to: z.iso.datetime({ offset: true }).optional(),
    }),
  },
  responses: { 200: jsonContent(pageSchema(AuditEventSchema), "A page of events"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAuditEvents({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
