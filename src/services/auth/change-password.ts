import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { passwordResets, sessions, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireUser } from "../../domain/policy";
import { ConflictError, NotFoundError, ValidationError } from "../../errors";
import { hashPassword, verifyPassword } from "../../lib/password";
import type { ServiceContext } from "../context";

export type ChangePasswordInput = { currentPassword: string; newPassword: string };

/**
 * A signed-in person replaces their password, proving it with the current one. Every other session
 * of theirs ends (whoever else holds one is signed out) and unused reset links stop working; the
 * session that asked stays. The update is guarded on the hash it replaces, so of two changes at once
 * one wins, and the sessions and links end only with the change that won.
 */
export async function changePassword({ ctx, input }: { ctx: ServiceContext; input: ChangePasswordInput }) {
  const { userId, sessionId } = requireUser(ctx.auth);
  const [user] = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, ctx.auth.organizationId)));
  if (!user) throw new NotFoundError("User");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new ValidationError("The current password is not correct; nothing was changed", [
      { path: "currentPassword", message: "This is not your current password", code: "wrong_password" },
    ]);
  }
  if (input.newPassword === input.currentPassword) {
    throw new ValidationError("The new password is the current one; nothing was changed", [
      { path: "newPassword", message: "Choose a password different from the current one", code: "same_password" },
    ]);
  }
  const passwordHash = await hashPassword(input.newPassword);
  const won = sql`exists (select 1 from ${users} where ${users.id} = ${userId} and ${users.passwordHash} = ${passwordHash})`;
  const [changed, ended] = await ctx.db.batch([
    ctx.db
      .update(users)
      .set({ passwordHash, updatedAt: ctx.now })
      .where(and(eq(users.id, userId), eq(users.passwordHash, user.passwordHash)))
      .returning({ id: users.id }),
    ctx.db
      .update(sessions)
      .set({ revokedAt: ctx.now })
      .where(and(eq(sessions.userId, userId), ne(sessions.id, sessionId), isNull(sessions.revokedAt), won))
      .returning({ id: sessions.id }),
    ctx.db
      .update(passwordResets)
      .set({ supersededAt: ctx.now })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt), isNull(passwordResets.supersededAt), won)),
  ]);
  if (!changed.length) throw new ConflictError("Your password was changed at the same time by another request; nothing was changed");
  // What changed, never the password or its hash.
  await auditInsert(ctx, {
    type: "user.password_changed",
    targetType: "user",
    targetId: userId,
    data: { changed: ["password"], otherSessionsEnded: ended.length },
  });
}
