import { config } from "../../config";
import { requireRole } from "../../domain/policy";
import { ensureWebhookSecret, type OpenWebhookSecret, UnreadableWebhookSecretError } from "../../domain/webhook-secrets";
import { ConflictError } from "../../errors";
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

/** A secret that no longer opens (sealed under a replaced root secret) is a conflict the admin resolves by rotating. */
export async function getWebhookSecret({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  const row = await ensureWebhookSecret(ctx.db, config(ctx.env).rootSecrets, ctx.auth.organizationId, ctx.now).catch((err: unknown) => {
    if (err instanceof UnreadableWebhookSecretError) throw new ConflictError(err.message);
    throw err;
  });
  return toWebhookSecretDto(row, ctx.now);
}
