import { createRoute, z } from "@hono/zod-openapi";
import { listOrganizations } from "../../../services/operator/list-organizations";
import { type Router, requestContext } from "../../router";
import { authErrors, jsonContent } from "../common";
import { OperatorOrganizationSchema, OrganizationUsageSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/organizations",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Every organization with its data tenant key and usage",
  responses: {
    200: jsonContent(z.object({ items: z.array(OperatorOrganizationSchema.extend({ usage: OrganizationUsageSchema })) }), "Organizations"),
    401: authErrors[401],
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await listOrganizations({ ctx: requestContext(c) }), 200));
