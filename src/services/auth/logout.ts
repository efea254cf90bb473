import { and, eq } from "drizzle-orm";
import { sessions } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireUser } from "../../domain/policy";
import type { ServiceContext } from "../context";

export async function logout({ ctx }: { ctx: ServiceContext }) {
  const { userId, sessionId } = requireUser(ctx.auth);
  await ctx.db.batch([
    ctx.db
      .update(sessions)
      .set({ revokedAt: ctx.now })
      .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId))),
    auditInsert(ctx, { type: "auth.logout", targetType: "user", targetId: userId }),
  ]);
}
