import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { olderThan } from "../../db/keyset";
import { auditEvents } from "../../db/schema";
import { auditEventDto } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";

export type ListAuditInput = { limit: number; cursor?: string; type?: string; actor?: string; from?: string; to?: string };

/**
 * Admins only, like the archive it flows into: the log holds what settings hide from other roles
 * (the alert webhook URL, every member's sign-in IP, others' password-reset requests).
 */
export async function listAuditEvents({ ctx, input }: { ctx: ServiceContext; input: ListAuditInput }) {
  requireRole(ctx.auth, "admin");
  const cursor = decodeCursor(input.cursor);
  const where: (SQL | undefined)[] = [eq(auditEvents.organizationId, ctx.auth.organizationId)];
  if (input.type) where.push(eq(auditEvents.type, input.type));
  if (input.actor) where.push(eq(auditEvents.actorId, input.actor));
  if (input.from) where.push(gte(auditEvents.createdAt, new Date(input.from)));
  if (input.to) where.push(lt(auditEvents.createdAt, new Date(input.to)));
  where.push(olderThan(auditEvents.createdAt, auditEvents.id, cursor));
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.createdAt), desc(auditEvents.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return {
    items: page.items.map(auditEventDto),
    nextCursor: page.nextCursor,
  };
}
