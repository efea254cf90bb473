import { config } from "../../config";
import { requireRole } from "../../domain/policy";
import { ensureWebhookSecret, type OpenWebhookSecret } from "../../domain/webhook-secrets";
import type { ServiceContext } from "../context";

/** What admins see; the previous secret only while it still signs. */
export function toWebhookSecretDto(row: Pick<OpenWebhookSecret, "secret" | "previousSecret" | "previousExpiresAt" | "rotatedAt">, now: Date) {
  const previousValid = !!row.previousSecret && !!row.previousExpiresAt && row.previousExpiresAt > now;
  return {
    secret: row.secret,
    previousSecret: previousValid ? row.previousSecret : null,
    previousSecretExpiresAt: previousValid ? row.previousExpiresAt!.toISOString() : null,
    rotatedAt: row.rotatedAt ? row.rotatedAt.toISOString() : null,
  };
}

export async function getWebhookSecret({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  return toWebhookSecretDto(await ensureWebhookSecret(ctx.db, config(ctx.env).auth.jwtSecret, ctx.auth.organizationId, ctx.now), ctx.now);
}
