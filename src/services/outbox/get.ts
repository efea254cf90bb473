import { and, eq } from "drizzle-orm";
import { outboxMessages } from "../../db/schema";
import { GoneError, NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";
import { requireOutbox, toOutboxMessageDto } from "./list";

async function findOutboxMessage(ctx: ServiceContext, id: string) {
  requireOutbox(ctx);
  const [row] = await ctx.db
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.id, id), eq(outboxMessages.organizationId, ctx.auth.organizationId)));
  if (!row) throw new NotFoundError("Outbox message");
  return row;
}

export async function getOutboxMessage({ ctx, id }: { ctx: ServiceContext; id: string }) {
  return toOutboxMessageDto(await findOutboxMessage(ctx, id));
}

/** The attachment as the recipient would have received it. */
export async function openOutboxAttachment({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const row = await findOutboxMessage(ctx, id);
  if (!row.attachmentKey) throw new NotFoundError("Attachment");
  const object = await ctx.env.REPORTS.get(row.attachmentKey);
  if (!object) throw new GoneError("The attachment is no longer kept");
  return { object, fileName: row.attachmentName ?? "attachment", contentType: row.attachmentType ?? "application/octet-stream" };
}
