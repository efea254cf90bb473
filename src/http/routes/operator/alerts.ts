import { createRoute, z } from "@hono/zod-openapi";
import { listAllAlerts } from "../../../services/operator/list-alerts";
import { type Router, requestContext } from "../../router";
import { AlertSchema } from "../alerts/schema";
import { authErrors, jsonContent, PaginationQuery, pageSchema } from "../common";

const route = createRoute({
  method: "get",
  path: "/alerts",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Every organization's alerts and the system-wide ones, newest first",
  request: { query: PaginationQuery },
  responses: {
    200: jsonContent(pageSchema(AlertSchema.extend({ organizationId: z.string().nullable() })), "A page of alerts"),
    400: authErrors[400],
    401: authErrors[401],
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listAllAlerts({ ctx: requestContext(c), input: c.req.valid("query") }), 200));
