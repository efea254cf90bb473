import { createRoute, z } from "@hono/zod-openapi";
import { createOrganization } from "../../../services/operator/create-organization";
import { type Router, requestContext } from "../../router";
import { authErrors, conflictError, jsonBody, jsonContent } from "../common";
import { CreateOrganizationSchema, OperatorOrganizationSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/organizations",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Provision an organization with its data tenant key and first admin (who gets an invitation link)",
  request: jsonBody(CreateOrganizationSchema),
  responses: {
    201: jsonContent(z.object({ organization: OperatorOrganizationSchema, inviteUrl: z.string(), inviteExpiresAt: z.string() }), "Provisioned"),
    400: authErrors[400],
    401: authErrors[401],
    ...conflictError,
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await createOrganization({ ctx: requestContext(c), input: c.req.valid("json") }), 201));
