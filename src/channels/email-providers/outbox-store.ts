import { eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { outboxMessages } from "../../db/schema";
import { newId } from "../../lib/ids";
import { type EmailMessage, formatAddress } from "./types";

/**
 * Keeps an email instead of sending it (local development): the message in D1, its attachment in
 * R2 under a key derived from the idempotency key, so storing the same message twice stores it once.
 */
export async function storeOutboxMessage(env: Env, message: EmailMessage, now: Date): Promise<string> {
  const db = createDb(env.DB);
  const [existing] = await db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.idempotencyKey, message.idempotencyKey));
  if (existing) return existing.id;
  const a = message.attachment;
  const attachmentKey = a ? `outbox/${message.organizationId}/${encodeURIComponent(message.idempotencyKey)}/${a.filename}` : null;
  if (a && attachmentKey) await env.REPORTS.put(attachmentKey, a.content, { httpMetadata: { contentType: a.contentType } });
  const id = newId();
  await db
    .insert(outboxMessages)
    .values({
      id,
      organizationId: message.organizationId,
      idempotencyKey: message.idempotencyKey,
      fromAddress: formatAddress(message.from),
      toAddress: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      attachmentName: a?.filename ?? null,
      attachmentType: a?.contentType ?? null,
      attachmentSize: a?.content.byteLength ?? null,
      attachmentKey,
      createdAt: now,
    })
    .onConflictDoNothing();
  const [stored] = await db.select({ id: outboxMessages.id }).from(outboxMessages).where(eq(outboxMessages.idempotencyKey, message.idempotencyKey));
  return stored?.id ?? id;
}
