import { and, eq } from "drizzle-orm";
import { sessions } from "../../db/schema";
import { requireUser } from "../../domain/policy";
import type { ServiceContext } from "../context";

export async function logout({ ctx }: { ctx: ServiceContext }) {
  const { userId, sessionId } = requireUser(ctx.auth);
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
}
