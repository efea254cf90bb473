import { createRoute } from "@hono/zod-openapi";
import { rotateWebhookSecret } from "../../../services/webhook-secrets/rotate";
import { type Router, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, jsonContent } from "../common";
import { WebhookSecretSchema } from "./schema";

const route = createRoute({
  method: "post",
  path: "/rotate",
  tags: ["Settings"],
  security: bearerSecurity,
  summary: "Replace the webhook secret; the old one keeps signing for WEBHOOK_SECRET_GRACE_HOURS (admins)",
  responses: { 200: jsonContent(WebhookSecretSchema, "The new secret"), ...authErrors, ...conflictError },
});

export default (app: Router) => app.openapi(route, async (c) => c.json(await rotateWebhookSecret({ ctx: serviceContext(c) }), 200));
