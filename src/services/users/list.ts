import { and, desc, eq } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { users } from "../../db/schema";
import { requireRole, requireUser } from "../../domain/policy";
import { decodeCursor, pageOf } from "../../lib/cursor";
import { toUserDto } from "../auth/dto";
import type { ServiceContext } from "../context";

export async function listUsers({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string } }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(users)
    .where(and(eq(users.organizationId, ctx.auth.organizationId), olderThan(users.createdAt, users.id, cursor)))
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(toUserDto), nextCursor: page.nextCursor };
}
