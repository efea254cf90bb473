import { createRoute, z } from "@hono/zod-openapi";
import { updateOrganization } from "../../../services/operator/update-organization";
import { type Router, requestContext } from "../../router";
import { authErrors, conflictError, errorResponse, IdParam, jsonBody, jsonContent } from "../common";
import { OperatorOrganizationSchema, TenantKeyMatchesSchema, UpdateOrganizationSchema } from "./schema";

const route = createRoute({
  method: "patch",
  path: "/organizations/{id}",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Rename an organization or map it onto another data tenant",
  description:
    "A remap (dataTenantKey) answers with the rows the new key matches per data source (matches; null when the key is not changed). A key that matches no rows is refused with 422 tenant_key_unmatched unless force is true. dryRun answers the same and changes nothing (applied: false).",
  request: { params: IdParam, ...jsonBody(UpdateOrganizationSchema) },
  responses: {
    200: jsonContent(
      z.object({ organization: OperatorOrganizationSchema, matches: TenantKeyMatchesSchema.nullable(), applied: z.boolean() }),
      "Updated (or, with dryRun, what would be)",
    ),
    400: authErrors[400],
    401: authErrors[401],
    404: authErrors[404],
    ...conflictError,
    422: errorResponse("The new data tenant key matches no rows (tenant_key_unmatched); send force: true to map it anyway"),
  },
});

export default (app: Router) =>
  app.openapi(route, async (c) => c.json(await updateOrganization({ ctx: requestContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
