import { and, eq, gt, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { passwordResets, sessions, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { GoneError } from "../../errors";
import { newId } from "../../lib/ids";
import { hashPassword } from "../../lib/password";
import { sha256Hex } from "../../lib/secrets";

export type ConfirmPasswordResetInput = { token: string; newPassword: string };

/** Why a link cannot be used: all `link_expired` (410), each with its own message. */
function refusal(reset: typeof passwordResets.$inferSelect | undefined, now: Date): string | null {
  if (!reset) return "This password reset link is not valid: it was never issued (check that the whole link was copied), or its account was removed";
  if (reset.usedAt) return "This password reset link was used already; ask for a new one if you need to set your password again";
  if (reset.supersededAt) return "A newer password reset link was sent (or the password was changed) since this one; use the latest link";
  if (reset.expiresAt <= now) return "This password reset link expired (links work for one hour); ask for a new one";
  return null;
}

/**
 * Sets a new password with an emailed link and ends every session of the user (whoever got in
 * before is signed out; the person signs in again with the new password). The link is used once:
 * the claim marks it with a nonce of this request, and the password, the sessions and the user's
 * other links change only where that claim won, all in one batch.
 */
export async function confirmPasswordReset({ db, now, input }: { db: Db; now: Date; input: ConfirmPasswordResetInput }) {
  const [reset] = await db
    .select()
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, await sha256Hex(input.token)));
  const refused = refusal(reset, now);
  if (refused || !reset) throw new GoneError(refused ?? "This password reset link is not valid", "link_expired");
  const passwordHash = await hashPassword(input.newPassword);
  const claim = newId();
  const won = sql`exists (select 1 from ${passwordResets} where ${passwordResets.id} = ${reset.id} and ${passwordResets.claim} = ${claim})`;
  const [claimed, changed, ended] = await db.batch([
    db
      .update(passwordResets)
      .set({ usedAt: now, claim })
      .where(and(eq(passwordResets.id, reset.id), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt), gt(passwordResets.expiresAt, now)))
      .returning({ id: passwordResets.id }),
    db
      .update(users)
      .set({ passwordHash, updatedAt: now, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${now.getTime()})` })
      .where(and(eq(users.id, reset.userId), eq(users.organizationId, reset.organizationId), won))
      .returning({ id: users.id }),
    db
      .update(sessions)
      .set({ revokedAt: now })
      .where(and(eq(sessions.userId, reset.userId), isNull(sessions.revokedAt), won))
      .returning({ id: sessions.id }),
    db
      .update(passwordResets)
      .set({ supersededAt: now })
      .where(
        and(eq(passwordResets.userId, reset.userId), ne(passwordResets.id, reset.id), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt), won),
      ),
  ]);
  if (!claimed.length) throw new GoneError("This password reset link was used already (by another request just now)", "link_expired");
  if (!changed.length) throw new GoneError("The account of this password reset link no longer exists", "link_expired");
  await auditInsert(
    { db, now, auth: { organizationId: reset.organizationId, actorId: reset.userId } },
    { type: "user.password_reset", targetType: "user", targetId: reset.userId, data: { changed: ["password"], sessionsEnded: ended.length, by: "email link" } },
  );
}
