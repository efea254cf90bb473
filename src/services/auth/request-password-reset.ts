import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { sendEmail, senderOf } from "../../channels/email";
import { passwordResetEmail } from "../../channels/email-templates";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { organizations, passwordResets, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { newId } from "../../lib/ids";
import { randomToken, sha256Hex } from "../../lib/secrets";

/** A reset link works for one hour, once. */
export const PASSWORD_RESET_TTL_MS = 3600_000;
/** At most one reset email to an account in this time: a mailbox cannot be flooded through the service. */
export const PASSWORD_RESET_COOLDOWN_MS = 15 * 60_000;

export type RequestPasswordResetInput = { email: string };

/**
 * Emails a one-time link to set a new password to the account with this address, if there is one.
 * The caller answers the same before this runs, whether or not there is an account, so neither the
 * answer nor its timing tells who has one. The token is 256 random bits; only its SHA-256 is kept.
 * A new link supersedes the user's earlier unused ones. Within PASSWORD_RESET_COOLDOWN_MS of the
 * last link, nothing is created or sent (the earlier link still works). Returns what happened, for
 * the log only.
 */
export async function requestPasswordReset({ db, env, now, input, ip }: { db: Db; env: Env; now: Date; input: RequestPasswordResetInput; ip: string }) {
  const [user] = await db.select().from(users).where(eq(users.email, input.email.toLowerCase())).limit(1);
  if (!user) return "no_account" as const;
  const cfg = config(env);
  const token = randomToken();
  const reset = {
    id: newId(),
    organizationId: user.organizationId,
    userId: user.id,
    tokenHash: await sha256Hex(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + PASSWORD_RESET_TTL_MS),
  };
  // One statement: the link is created only when none was in the cool-down, so requests at once send one email.
  const created = await db.run(sql`
    insert into password_resets (id, organization_id, user_id, token_hash, created_at, expires_at)
    select ${reset.id}, ${reset.organizationId}, ${reset.userId}, ${reset.tokenHash}, ${now.getTime()}, ${reset.expiresAt.getTime()}
     where not exists (select 1 from password_resets where user_id = ${user.id} and created_at > ${now.getTime() - PASSWORD_RESET_COOLDOWN_MS})`);
  if (!created.meta.changes) return "cooling_down" as const;
  await db.batch([
    db
      .update(passwordResets)
      .set({ supersededAt: now })
      .where(and(eq(passwordResets.userId, user.id), ne(passwordResets.id, reset.id), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt))),
    // Nobody is signed in: the system records it, with where the request came from.
    auditInsert(
      { db, now, auth: { organizationId: user.organizationId, actorId: null } },
      { type: "user.password_reset_requested", targetType: "user", targetId: user.id, data: { email: user.email, ip } },
    ),
  ]);
  const [org] = await db.select({ emailSenderName: organizations.emailSenderName }).from(organizations).where(eq(organizations.id, user.organizationId));
  const key = `password-reset:${reset.id}`;
  await sendEmail(env, {
    idempotencyKey: key,
    organizationId: user.organizationId,
    from: senderOf(cfg.delivery, org ?? null),
    to: user.email,
    ...passwordResetEmail({ name: user.name, url: `${cfg.appUrl}/reset-password?token=${encodeURIComponent(token)}`, expiresAt: reset.expiresAt }),
    tags: { notice: key, organization_id: user.organizationId },
  });
  return "sent" as const;
}
