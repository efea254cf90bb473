import { and, eq } from "drizzle-orm";
import { sessions } from "../../db/schema";
import type { ServiceContext } from "../context";

export async function logout({ ctx }: { ctx: ServiceContext }) {
  await ctx.db
    .update(sessions)
    .set({ revokedAt: ctx.now })
    .where(and(eq(sessions.id, ctx.auth.sessionId), eq(sessions.userId, ctx.auth.userId)));
}
