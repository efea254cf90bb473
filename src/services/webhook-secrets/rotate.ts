import { and, eq } from "drizzle-orm";
import { newWebhookSecret } from "../../channels/webhook-signature";
import { config } from "../../config";
import { webhookSecrets } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { ensureWebhookSecret, sealWebhookSecret, UnreadableWebhookSecretError } from "../../domain/webhook-secrets";
import { ConflictError } from "../../errors";
import type { ServiceContext } from "../context";
import { toWebhookSecretDto } from "./get";

/**
 * A new current secret; the old one keeps signing alongside it for the grace period, so receivers
 * can switch without missing a delivery. The update is guarded on the secret it replaces, so two
 * rotations at once cannot both win (the second would push the still-needed old secret out).
 */
export async function rotateWebhookSecret({ ctx }: { ctx: ServiceContext }) {
  requireRole(ctx.auth, "admin");
  const roots = config(ctx.env).rootSecrets;
  const root = roots.current;
  // A secret sealed under a replaced root secret cannot be read: rotating replaces it (without a grace period).
  const current = await ensureWebhookSecret(ctx.db, roots, ctx.auth.organizationId, ctx.now).catch((err: unknown) => {
    if (err instanceof UnreadableWebhookSecretError) return { stored: err.stored, secret: null };
    throw err;
  });
  const secret = newWebhookSecret();
  const changes = {
    secret: await sealWebhookSecret(root, ctx.auth.organizationId, secret),
    previousSecret: current.secret ? await sealWebhookSecret(root, ctx.auth.organizationId, current.secret) : null,
    previousExpiresAt: current.secret ? new Date(ctx.now.getTime() + config(ctx.env).delivery.webhookSecretGraceMs) : null,
    rotatedAt: ctx.now,
    updatedAt: ctx.now,
  };
  const [updated] = await ctx.db
    .update(webhookSecrets)
    .set(changes)
    .where(and(eq(webhookSecrets.organizationId, ctx.auth.organizationId), eq(webhookSecrets.secret, current.stored)))
    .returning();
  if (!updated) throw new ConflictError("The secret was rotated at the same time; reload to see the current one");
  await auditInsert(ctx, { type: "webhook_secret.rotated", targetType: "organization", targetId: ctx.auth.organizationId });
  return toWebhookSecretDto({ ...updated, secret, previousSecret: current.secret }, ctx.now);
}
