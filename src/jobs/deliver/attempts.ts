import { and, eq } from "drizzle-orm";
import type { DeliveryFailure } from "../../channels/types";
import type { Db } from "../../db/client";
import { type AttemptOutcome, deliveryAttempts, type FailureClass, reportDeliveries } from "../../db/schema";
import { toStatement } from "../../db/statements";
import { disableEndpoint } from "../../domain/endpoints";
import { suppressAddress } from "../../domain/suppressions";
import { newId } from "../../lib/ids";
import { LINK_TTL_SECONDS } from "../../storage/links";

type Delivery = typeof reportDeliveries.$inferSelect;

export type Claim = { attempt: number; attemptId: string; linkExpiresAt: Date };

/**
 * Claims the next attempt: compare-and-set on (status pending, attempts as read), so of two
 * consumers holding the same message only one sends. The attempt row is written in the same round
 * trip but only if this claim won (a losing batch records no attempt it did not make). Later
 * attempts of a round send the first one's link (`lastLinkExpiresAt`), so a retried request is identical.
 */
export async function claimAttempt(d1: D1Database, db: Db, delivery: Delivery, lastLinkExpiresAt: Date | null, now: Date): Promise<Claim | null> {
  const attempt = delivery.attempts + 1;
  const linkExpiresAt = (attempt > 1 ? lastLinkExpiresAt : null) ?? new Date(now.getTime() + LINK_TTL_SECONDS * 1000);
  const attemptId = newId();
  const [claimed] = await d1.batch([
    toStatement(
      d1,
      db
        .update(reportDeliveries)
        .set({ attempts: attempt, nextAttemptAt: null, updatedAt: now })
        .where(and(eq(reportDeliveries.id, delivery.id), eq(reportDeliveries.status, "pending"), eq(reportDeliveries.attempts, delivery.attempts))),
    ),
    d1
      .prepare(
        `insert into delivery_attempts (id, organization_id, delivery_id, attempt, started_at, link_expires_at)
         select ?1, ?2, ?3, ?4, ?5, ?6
          where exists (select 1 from report_deliveries where id = ?3 and status = 'pending' and attempts = ?4 and updated_at = ?5)`,
      )
      .bind(attemptId, delivery.organizationId, delivery.id, attempt, now.getTime(), linkExpiresAt.getTime()),
  ]);
  if (!claimed?.meta.changes) return null;
  return { attempt, attemptId, linkExpiresAt };
}

/** Only the holder of the claim may write the result. */
const claimedBy = (delivery: Delivery, claim: Claim) =>
  and(eq(reportDeliveries.id, delivery.id), eq(reportDeliveries.status, "pending"), eq(reportDeliveries.attempts, claim.attempt));

const finishAttempt = (db: Db, claim: Claim, now: Date, outcome: AttemptOutcome, extra: Partial<typeof deliveryAttempts.$inferInsert>) =>
  db
    .update(deliveryAttempts)
    .set({ outcome, finishedAt: now, ...extra })
    .where(eq(deliveryAttempts.id, claim.attemptId));

const sentQueries = (db: Db, delivery: Delivery, claim: Claim, providerMessageId: string | null, now: Date) =>
  [
    db
      .update(reportDeliveries)
      .set({ status: "sent", deliveredAt: now, providerMessageId, lastError: null, failureClass: null, nextAttemptAt: null, updatedAt: now })
      .where(claimedBy(delivery, claim)),
    finishAttempt(db, claim, now, "sent", { providerMessageId }),
  ] as const;

export async function recordSent(db: Db, delivery: Delivery, claim: Claim, providerMessageId: string | null, now: Date) {
  await db.batch([...sentQueries(db, delivery, claim, providerMessageId, now)]);
}

/** The same writes as statements, for a consumer that records a whole batch's sends in one round trip. */
export const sentStatements = (d1: D1Database, db: Db, delivery: Delivery, claim: Claim, providerMessageId: string | null, now: Date) =>
  sentQueries(db, delivery, claim, providerMessageId, now).map((q) => toStatement(d1, q));

const failureColumns = (f: DeliveryFailure) => ({
  failureClass: f.failureClass as FailureClass,
  error: f.message.slice(0, 2000),
  httpStatus: f.extra.httpStatus ?? null,
});

export async function recordRetry(db: Db, delivery: Delivery, claim: Claim, failure: DeliveryFailure, retryAt: Date, now: Date) {
  await db.batch([
    db
      .update(reportDeliveries)
      .set({ lastError: failure.message.slice(0, 2000), failureClass: failure.failureClass, nextAttemptAt: retryAt, updatedAt: now })
      .where(claimedBy(delivery, claim)),
    finishAttempt(db, claim, now, "retry", { ...failureColumns(failure), retryAt }),
  ]);
}

/** Bounces and suppressed addresses end `bounced`, everything else `failed`. */
export const finalStatusOf = (f: DeliveryFailure): "failed" | "bounced" =>
  f.failureClass === "bounced" || f.failureClass === "suppressed" ? "bounced" : "failed";

/**
 * Ends the delivery for good. A bounce suppresses the address for the organization and a 410
 * disables the webhook (or Teams workflow) URL, in the same batch. Returns false if the claim was lost meanwhile.
 */
export async function recordFinal(db: Db, delivery: Delivery, claim: Claim, failure: DeliveryFailure, now: Date): Promise<boolean> {
  const status = finalStatusOf(failure);
  const message = failure.message.slice(0, 2000);
  const sideEffects = [];
  if (failure.failureClass === "bounced" && delivery.recipientType === "email") {
    sideEffects.push(
      suppressAddress(db, {
        organizationId: delivery.organizationId,
        email: delivery.recipientValue,
        source: "bounce",
        provider: "send",
        reason: message,
        deliveryId: delivery.id,
        now,
      }),
    );
  }
  if (failure.failureClass === "gone" && (delivery.recipientType === "webhook" || delivery.recipientType === "teams")) {
    sideEffects.push(
      disableEndpoint(db, { organizationId: delivery.organizationId, url: delivery.recipientValue, reason: message, deliveryId: delivery.id, now }),
    );
  }
  const [update] = await db.batch([
    db
      .update(reportDeliveries)
      .set({ status, lastError: message, failureClass: failure.failureClass, nextAttemptAt: null, updatedAt: now })
      .where(claimedBy(delivery, claim))
      .returning({ id: reportDeliveries.id }),
    finishAttempt(db, claim, now, status, failureColumns(failure)),
    ...sideEffects,
  ]);
  return update.length > 0;
}

/**
 * A delivery that used up its attempts without a recorded outcome (its consumer crashed after
 * claiming) is failed with what is known, instead of being attempted a fifth time.
 */
export async function giveUp(db: Db, delivery: Delivery, now: Date) {
  const lastError = delivery.lastError ?? `Gave up after ${delivery.attempts} attempts without an answer`;
  const [row] = await db
    .update(reportDeliveries)
    .set({ status: "failed", lastError, failureClass: delivery.failureClass ?? "internal", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(reportDeliveries.id, delivery.id), eq(reportDeliveries.status, "pending"), eq(reportDeliveries.attempts, delivery.attempts)))
    .returning();
  return row ?? null;
}

/** A pending delivery that must not be sent: failed with the reason, guarded on its status. */
export async function cancelDelivery(db: Db, delivery: Delivery, reason: string, now: Date) {
  await db
    .update(reportDeliveries)
    .set({ status: "failed", lastError: reason, failureClass: "recipient_removed", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(reportDeliveries.id, delivery.id), eq(reportDeliveries.status, "pending")));
}
