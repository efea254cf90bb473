import { createRoute } from "@hono/zod-openapi";
import { listAuditArchives } from "../../../services/audit/list-archives";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";
import { AuditArchive } from "./schema";

const route = createRoute({
  method: "get",
  path: "/archives",
  tags: ["Audit"],
  security: bearerSecurity,
  summary: "The organization's archived audit events, one NDJSON object per UTC day, oldest first (admin)",
  request: { query: PaginationQuery },
  responses: { 200: jsonContent(pageSchema(AuditArchive), "A page of archives"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAuditArchives({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
