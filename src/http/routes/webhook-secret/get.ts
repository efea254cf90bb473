import { createRoute } from "@hono/zod-openapi";
import { getWebhookSecret } from "../../../services/webhook-secrets/get";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, jsonContent } from "../common";
import { WebhookSecretSchema } from "./schema";

const route = createRoute({
  method: "get",
  path: "/",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "The organization's webhook signing secret (Standard Webhooks, admins)",
  responses: {
    200: jsonContent(WebhookSecretSchema, "The secret, and the previous one during a rotation's grace period"),
    ...authErrors,
    409: { ...conflictError[409], description: "The stored secret no longer opens (sealed under a replaced root secret): rotate it" },
  },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await getWebhookSecret({ ctx: serviceContext(c) }), 200));
