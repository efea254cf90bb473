import { createRoute } from "@hono/zod-openapi";
import { getOrganizationQuotas, setOrganizationQuotas } from "../../../services/operator/quotas";
import { OperatorQuotasSchema, QuotaOverridesSchema } from "../../../services/quotas/schema";
import { type Router, requestContext } from "../../router";
import { authErrors, IdParam, jsonBody, jsonContent } from "../common";

const get = createRoute({
  method: "get",
  path: "/organizations/{id}/quotas",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "An organization's quotas in force, the overrides set for it, and its usage",
  request: { params: IdParam },
  responses: { 200: jsonContent(OperatorQuotasSchema, "Quotas"), 401: authErrors[401], 404: authErrors[404] },
});

const put = createRoute({
  method: "put",
  path: "/organizations/{id}/quotas",
  tags: ["Operator"],
  security: [{ OperatorToken: [] }],
  summary: "Override some of an organization's quotas (null: back to the default; a field left out is unchanged)",
  request: { params: IdParam, ...jsonBody(QuotaOverridesSchema) },
  responses: { 200: jsonContent(OperatorQuotasSchema, "Quotas"), 400: authErrors[400], 401: authErrors[401], 404: authErrors[404] },
});

export default (app: Router) => {
  app.openapi(get, async (c) => c.json(await getOrganizationQuotas({ ctx: requestContext(c), id: c.req.valid("param").id }), 200));
  app.openapi(put, async (c) => c.json(await setOrganizationQuotas({ ctx: requestContext(c), id: c.req.valid("param").id, input: c.req.valid("json") }), 200));
};
