import { createRoute } from "@hono/zod-openapi";
import { getOutboxMessage } from "../../../services/outbox/get";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, IdParam, jsonContent } from "../common";
import { OutboxMessage } from "./schema";

const route = createRoute({
  method: "get",
  path: "/{id}",
  tags: ["Local development"],
  security: bearerSecurity,
  summary: "One kept email with its bodies",
  request: { params: IdParam },
  responses: { 200: jsonContent(OutboxMessage, "The message"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getOutboxMessage({ ctx: serviceContext(c), id: c.req.valid("param").id }), 200));
