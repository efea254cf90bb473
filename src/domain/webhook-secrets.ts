import { and, eq, isNull } from "drizzle-orm";
import { DeliveryFailure } from "../channels/types";
import { newWebhookSecret } from "../channels/webhook-signature";
import type { Db } from "../db/client";
import { webhookSecrets } from "../db/schema";
import { type Opened, openSealed, type RootSecrets, seal, unopenedReason } from "../lib/sealed";

/*
 * The organization's webhook signing secrets are stored sealed (AES-256-GCM under a key derived from
 * the root secret with this label, the organization id bound in; see lib/sealed.ts). Rows written
 * before sealing (plain `whsec_…`), and values sealed under the previous root secret or in the v1
 * format, are sealed again under the current key when next read.
 */
const LABEL = "scheduled-reports/webhook-secrets/v1";

export type WebhookSecretRow = typeof webhookSecrets.$inferSelect;
/** The row with its secrets readable; `stored` is the value as stored (what a rotation compares). */
export type OpenWebhookSecret = WebhookSecretRow & { stored: string };

/** A configuration failure for a delivery (never retried); an admin rotating the secret replaces it. */
export class UnreadableWebhookSecretError extends DeliveryFailure {
  constructor(
    readonly stored: string,
    why: string,
  ) {
    super("configuration", `The webhook signing secret cannot be read: ${why}. Rotate it in Settings`);
  }
}

export const sealWebhookSecret = (rootSecret: string, organizationId: string, secret: string) => seal(rootSecret, LABEL, secret, organizationId);

async function open(roots: RootSecrets, organizationId: string, value: string): Promise<Opened> {
  if (value.startsWith("whsec_")) return { ok: true, plaintext: value, stale: true }; // written before secrets were sealed
  return openSealed(roots.current, LABEL, value, organizationId, roots.previous);
}

/**
 * Seals the row's stale values again under the current key and writes them back, guarded on the
 * values it read (a rotation at the same time wins). The value as stored afterwards.
 */
async function resealStale(db: Db, roots: RootSecrets, row: WebhookSecretRow, secret: Opened & { ok: true }, previous: Opened | null): Promise<string> {
  if (!secret.stale && !(previous?.ok && previous.stale)) return row.secret;
  const org = row.organizationId;
  const changes = {
    secret: secret.stale ? await sealWebhookSecret(roots.current, org, secret.plaintext) : row.secret,
    previousSecret: previous?.ok && previous.stale ? await sealWebhookSecret(roots.current, org, previous.plaintext) : row.previousSecret,
  };
  const [updated] = await db
    .update(webhookSecrets)
    .set(changes)
    .where(
      and(
        eq(webhookSecrets.organizationId, org),
        eq(webhookSecrets.secret, row.secret),
        row.previousSecret === null ? isNull(webhookSecrets.previousSecret) : eq(webhookSecrets.previousSecret, row.previousSecret),
      ),
    )
    .returning({ secret: webhookSecrets.secret });
  return updated ? updated.secret : row.secret;
}

/**
 * The organization's secret row, created on first use (the first webhook delivery or the first
 * time an admin looks): an organization that never uses webhooks never needs one.
 */
export async function ensureWebhookSecret(
  db: Db,
  roots: RootSecrets,
  organizationId: string,
  now: Date,
  known?: WebhookSecretRow | null,
): Promise<OpenWebhookSecret> {
  const read = () => db.select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, organizationId));
  // Every webhook send reads the row (a delivery has it already); only the first ever use seals a new secret and inserts it.
  let [row] = known ? [known] : await read();
  if (!row) {
    const sealed = await sealWebhookSecret(roots.current, organizationId, newWebhookSecret());
    await db.insert(webhookSecrets).values({ organizationId, secret: sealed, createdAt: now, updatedAt: now }).onConflictDoNothing();
    [row] = await read();
  }
  if (!row) throw new Error(`webhook secret of organization ${organizationId} could not be created`);
  const secret = await open(roots, organizationId, row.secret);
  // A secret sealed under another root secret (JWT_SECRET was replaced) cannot sign: an admin rotates it.
  if (!secret.ok) throw new UnreadableWebhookSecretError(row.secret, unopenedReason(secret));
  // An unreadable previous secret only stops signing early: the current one still signs.
  const previous = row.previousSecret ? await open(roots, organizationId, row.previousSecret) : null;
  const stored = await resealStale(db, roots, row, secret, previous);
  return { ...row, stored, secret: secret.plaintext, previousSecret: previous?.ok ? previous.plaintext : null };
}

/** The secrets that sign right now: the current one, and the previous one during its grace period. */
export async function signingSecrets(db: Db, roots: RootSecrets, organizationId: string, now: Date, known?: WebhookSecretRow | null): Promise<string[]> {
  const row = await ensureWebhookSecret(db, roots, organizationId, now, known);
  const previousValid = row.previousSecret && row.previousExpiresAt && row.previousExpiresAt > now;
  return previousValid ? [row.secret, row.previousSecret!] : [row.secret];
}
