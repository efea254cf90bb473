import { requireRole } from "../../domain/policy";
import { ensureWebhookSecret } from "../../domain/webhook-secrets";
import type { ServiceContext } from "../context";

export type WebhookSecretRow = Awaited<ReturnType<typeof ensureWebhookSecret>>;

/** What admins see; the previous secret only while it still signs. */
export function toWebhookSecretDto(row: WebhookSecretRow, now: Date) {
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
  return toWebhookSecretDto(await ensureWebhookSecret(ctx.db, ctx.auth.organizationId, ctx.now), ctx.now);
}
