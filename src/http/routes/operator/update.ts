import { createRoute, z } from "@hono/zod-openapi";
import { updateOrganization } from "../../../services/operator/update-organization";
import { type Router, requestContext } from "../../router";
import { authErrors, conflictError, IdParam, jsonBody, jsonContent } from "../common";
import { OperatorOrganizationSchema, UpdateOrganizationSchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/organizations/{id}",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Rename an organization or map it onto another data tenant",
  request: { params: IdParam, ...jsonBody(UpdateOrganizationSchema) },
  responses: {
    200: jsonContent(z.object({ organization: OperatorOrganizationSchema }), "Updated"),
    400: authErrors[400],
    401: authErrors[401],
    404: authErrors[404],
    ...conflictError,
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json(await updateOrganization({ ctx: requestContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
