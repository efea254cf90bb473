import { createRoute, z } from "@hono/zod-openapi";
import { getWebhookSecret } from "../../../services/webhook-secrets/get";
import { rotateWebhookSecret } from "../../../services/webhook-secrets/rotate";
import { protectedRouter, serviceContext } from "../../router";
import { authErrors, bearerSecurity, conflictError, jsonContent } from "../common";

const WebhookSecretSchema = z
  .object({
    secret: z.string().openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    previousSecret: z.string().nullable().openapi({ description: "Still signs alongside the current secret until previousSecretExpiresAt" }),
    previousSecretExpiresAt: z.string().nullable(),
    rotatedAt: z.string().nullable(),
  })
  .openapi("WebhookSecret");

const tags = ["Settings"];

/** Mounted at /settings/webhook-secret (admins only; the auth middleware of /settings applies). */
export const webhookSecretRoutes = () =>
  protectedRouter()
    .openapi(
      createRoute({
        method: "get",
        path: "/",
        tags,
        security: bearerSecurity,
        summary: "The organization's webhook signing secret (Standard Webhooks, admins)",
        responses: { 200: jsonContent(WebhookSecretSchema, "The secret, and the previous one during a rotation's grace period"), ...authErrors },
      }),
      async (c) => c.json(await getWebhookSecret({ ctx: serviceContext(c) }), 200),
    )
    .openapi(
      createRoute({
        method: "post",
        path: "/rotate",
        tags,
        security: bearerSecurity,
        summary: "Replace the webhook secret; the old one keeps signing for WEBHOOK_SECRET_GRACE_HOURS (admins)",
        responses: { 200: jsonContent(WebhookSecretSchema, "The new secret"), ...authErrors, ...conflictError },
      }),
      async (c) => c.json(await rotateWebhookSecret({ ctx: serviceContext(c) }), 200),
    );
