import { createRoute, z } from "@hono/zod-openapi";
import { listOutbox } from "../../../services/outbox/list";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent, PaginationQuery, pageSchema } from "../common";
import { OutboxSummary } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Local development"],
  security: bearerSecurity,
  summary: "Emails the local outbox kept, newest first (local development only; admins)",
  request: { query: PaginationQuery.extend({ to: z.string().max(320).optional() }) },
  responses: { 200: jsonContent(pageSchema(OutboxSummary), "A page of messages"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listOutbox({ ctx: serviceContext(c), input: c.req.valid("query") }), 200));
