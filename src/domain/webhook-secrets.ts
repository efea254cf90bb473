import { eq } from "drizzle-orm";
import { newWebhookSecret } from "../channels/webhook-signature";
import type { Db } from "../db/client";
import { webhookSecrets } from "../db/schema";

/**
 * The organization's secret row, created on first use (the first webhook delivery or the first
 * time an admin looks): an organization that never uses webhooks never needs one.
 */
export async function ensureWebhookSecret(db: Db, organizationId: string, now: Date) {
  await db.insert(webhookSecrets).values({ organizationId, secret: newWebhookSecret(), createdAt: now, updatedAt: now }).onConflictDoNothing();
  const [row] = await db.select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, organizationId));
  if (!row) throw new Error(`webhook secret of organization ${organizationId} could not be created`);
  return row;
}

/** The secrets that sign right now: the current one, and the previous one during its grace period. */
export async function signingSecrets(db: Db, organizationId: string, now: Date): Promise<string[]> {
  const row = await ensureWebhookSecret(db, organizationId, now);
  const previousValid = row.previousSecret && row.previousExpiresAt && row.previousExpiresAt > now;
  return previousValid ? [row.secret, row.previousSecret!] : [row.secret];
}
