import { and, eq, inArray } from "drizzle-orm";
import { emailProviders } from "../../channels/email-providers";
import type { BounceEvent, WebhookRequest } from "../../channels/email-providers/types";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { createDb } from "../../db/client";
import { notices, reportDeliveries, SYSTEM_ALERT_SCOPE } from "../../db/schema";
import { suppressAddress } from "../../domain/suppressions";
import { NotFoundError, UnauthorizedError } from "../../errors";
import { enqueueDeliveries } from "../../jobs/messages";
import { log } from "../../lib/log";

/** The delivery a bounce is about: by the ids we tagged the message with, else by the provider's message id. */
async function deliveryOf(db: Db, event: BounceEvent) {
  const where =
    event.deliveryId && event.organizationId
      ? and(eq(reportDeliveries.id, event.deliveryId), eq(reportDeliveries.organizationId, event.organizationId))
      : event.providerMessageId
        ? eq(reportDeliveries.providerMessageId, event.providerMessageId)
        : undefined;
  if (!where) return null;
  const [row] = await db
    .select()
    .from(reportDeliveries)
    .where(and(where, eq(reportDeliveries.recipientType, "email")));
  // The event must be about this delivery's own address, whatever ids it carries.
  return row && row.recipientValue.toLowerCase() === event.email.toLowerCase() ? row : null;
}

async function noticeOf(db: Db, event: BounceEvent) {
  if (!event.providerMessageId) return null;
  const [row] = await db.select().from(notices).where(eq(notices.providerMessageId, event.providerMessageId));
  return row && row.recipient?.toLowerCase() === event.email.toLowerCase() ? row : null;
}

/**
 * One bounce or complaint: the delivery becomes `bounced` (from sent, or pending if it bounced
 * between attempts), the address is suppressed for its organization, and a `deliver` message is
 * queued so that the consumer tells the report's creator. A bounce of a notice suppresses too.
 */
async function applyBounce(env: Env, db: Db, provider: string, event: BounceEvent, now: Date): Promise<boolean> {
  const delivery = await deliveryOf(db, event);
  if (delivery) {
    const suppress = suppressAddress(db, {
      organizationId: delivery.organizationId,
      email: event.email,
      source: event.kind,
      provider,
      reason: event.reason,
      deliveryId: delivery.id,
      now,
    });
    const [changed] = await db.batch([
      db
        .update(reportDeliveries)
        .set({ status: "bounced", lastError: event.reason.slice(0, 2000), failureClass: "bounced", nextAttemptAt: null, updatedAt: now })
        .where(and(eq(reportDeliveries.id, delivery.id), inArray(reportDeliveries.status, ["sent", "pending"])))
        .returning({ id: reportDeliveries.id }),
      suppress,
    ]);
    if (changed.length) {
      await enqueueDeliveries(env, [{ id: delivery.id, executionId: delivery.executionId, organizationId: delivery.organizationId }]);
    }
    log("warn", "email bounced", { provider, deliveryId: delivery.id, organizationId: delivery.organizationId, kind: event.kind });
    return true;
  }
  const notice = await noticeOf(db, event);
  if (notice && notice.organizationId !== SYSTEM_ALERT_SCOPE) {
    await suppressAddress(db, {
      organizationId: notice.organizationId,
      email: event.email,
      source: event.kind,
      provider,
      reason: event.reason,
      deliveryId: null,
      now,
    });
    return true;
  }
  return false;
}

/**
 * A provider's bounce webhook: authenticated by the provider's own signature (an unsigned or
 * wrongly signed request changes nothing), then each event applied. Events about messages we do
 * not know are counted and ignored, so the provider does not retry them for ever.
 */
export async function receiveBounceWebhook(env: Env, providerName: string, request: WebhookRequest, now: Date) {
  const provider = emailProviders[providerName as keyof typeof emailProviders];
  if (!provider?.readBounceWebhook) throw new NotFoundError("Email provider");
  const events = await provider.readBounceWebhook(config(env).delivery, request, now);
  if (!events) throw new UnauthorizedError("The webhook signature is missing or wrong");
  const db = createDb(env.DB);
  let applied = 0;
  for (const event of events) if (await applyBounce(env, db, provider.name, event, now)) applied++;
  return { received: events.length, applied, ignored: events.length - applied };
}
