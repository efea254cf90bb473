import { and, desc, eq } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { deadLetters } from "../../db/schema";
import { requireRole } from "../../domain/policy";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";
import { toDeadLetterDto } from "./dto";

/** The organization's messages that exhausted their retries, newest first (admins: they can replay them). */
export async function listDeadLetters({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string | undefined } }) {
  requireRole(ctx.auth, "admin");
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.organizationId, ctx.auth.organizationId), olderThan(deadLetters.createdAt, deadLetters.id, cursor)))
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(toDeadLetterDto), nextCursor: page.nextCursor };
}
