import { and, desc, eq } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { apiKeys } from "../../db/schema";
import { requireRole, requireUser } from "../../domain/policy";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";
import { toApiKeyDto } from "./dto";

/** The organization's keys, newest first, revoked ones included (marked), secrets never. */
export async function listApiKeys({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string } }) {
  requireRole(ctx.auth, "admin");
  requireUser(ctx.auth);
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.organizationId, ctx.auth.organizationId), olderThan(apiKeys.createdAt, apiKeys.id, cursor)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(toApiKeyDto), nextCursor: page.nextCursor };
}
