import { z } from "@hono/zod-openapi";

export const WebhookSecretSchema = z
  .object({
    secret: z.string().openapi({ example: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw" }),
    previousSecret: z.string().nullable().openapi({ description: "Still signs alongside the current secret until previousSecretExpiresAt" }),
    previousSecretExpiresAt: z.string().nullable(),
    rotatedAt: z.string().nullable(),
  })
  .openapi("WebhookSecret");
