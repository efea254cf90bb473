import { createRoute } from "@hono/zod-openapi";
import { getQuotas } from "../../../services/quotas/get";
import { OrganizationQuotasSchema } from "../../../services/quotas/schema";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, jsonContent } from "../common";

const route = createRoute({
  method: "get",
  path: "/quotas",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "The organization's quotas and what it uses of them (admins; only the operator changes quotas)",
  responses: { 200: jsonContent(OrganizationQuotasSchema, "Quotas and usage"), ...authErrors },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getQuotas({ ctx: serviceContext(c) }), 200));
