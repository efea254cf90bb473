import { and, desc, eq } from "drizzle-orm";
import { config } from "../../config";
import { olderThan } from "../../db/keyset";
import { outboxMessages } from "../../db/schema";
import { requireRole } from "../../domain/policy";
import { NotFoundError } from "../../errors";
import { decodeCursor, pageOf } from "../../lib/cursor";
import type { ServiceContext } from "../context";

type OutboxRow = typeof outboxMessages.$inferSelect;

/**
 * The outbox exists under local development only; elsewhere it is not there at all. It holds every
 * organization member's mail, password-reset links among them, so only admins read it (#23): on a
 * shared development instance a viewer could otherwise reset an admin's password.
 */
export function requireOutbox(ctx: Pick<ServiceContext, "env" | "auth">) {
  if (!config(ctx.env).localDev) throw new NotFoundError("Route");
  requireRole(ctx.auth, "admin");
}

const toSummary = (m: OutboxRow) => ({
  id: m.id,
  from: m.fromAddress,
  to: m.toAddress,
  subject: m.subject,
  attachment: m.attachmentName
    ? { name: m.attachmentName, contentType: m.attachmentType, size: m.attachmentSize, url: `/api/outbox/${m.id}/attachment` }
    : null,
  createdAt: m.createdAt.toISOString(),
});

export const toOutboxMessageDto = (m: OutboxRow) => ({ ...toSummary(m), text: m.text, html: m.html });

export async function listOutbox({ ctx, input }: { ctx: ServiceContext; input: { limit: number; cursor?: string; to?: string } }) {
  requireOutbox(ctx);
  const cursor = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(outboxMessages)
    .where(
      and(
        eq(outboxMessages.organizationId, ctx.auth.organizationId),
        input.to ? eq(outboxMessages.toAddress, input.to.toLowerCase()) : undefined,
        olderThan(outboxMessages.createdAt, outboxMessages.id, cursor),
      ),
    )
    .orderBy(desc(outboxMessages.createdAt), desc(outboxMessages.id))
    .limit(input.limit + 1);
  const page = pageOf(rows, input.limit);
  return { items: page.items.map(toSummary), nextCursor: page.nextCursor };
}
