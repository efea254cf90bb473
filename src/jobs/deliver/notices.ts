import { and, eq } from "drizzle-orm";
import { sendEmail, senderOf } from "../../channels/email";
import type { EmailContent } from "../../channels/email-templates";
import { asDeliveryFailure } from "../../channels/types";
import { config } from "../../config";
import type { Db } from "../../db/client";
import { type NoticeKind, notices, organizations, users } from "../../db/schema";
import { findSuppression } from "../../domain/suppressions";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { done, type JobOutcome, retryIn } from "../outcome";
import { MAX_ATTEMPTS, planRetry } from "./backoff";

export type Notice = {
  /** Names the occurrence and its recipient: the notice goes out once per key, however often it is asked for. */
  key: string;
  kind: NoticeKind;
  organizationId: string;
  executionId?: string;
  deliveryId?: string;
  alertId?: string;
  /** Null when there is nobody to tell (recorded as skipped). */
  recipient: string | null;
  content: () => EmailContent;
};

/** The first of these users that still belongs to the organization (a report's creator, else whoever ran it). */
export async function firstUserEmail(db: Db, organizationId: string, userIds: (string | null)[]) {
  for (const id of userIds) {
    if (!id) continue;
    const [user] = await db
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.id, id), eq(users.organizationId, organizationId)));
    if (user) return user.email;
  }
  return null;
}

/**
 * Sends a notice through the email channel at most once: a row per key (unique), claimed with a
 * compare-and-set on its attempts like a delivery, and the key as the provider's idempotency key.
 * Returns what to do with the queue message that asked for it.
 */
export async function sendNotice(env: Env, db: Db, notice: Notice, now: Date): Promise<JobOutcome> {
  await db
    .insert(notices)
    .values({
      id: newId(),
      organizationId: notice.organizationId,
      key: notice.key,
      kind: notice.kind,
      executionId: notice.executionId ?? null,
      deliveryId: notice.deliveryId ?? null,
      alertId: notice.alertId ?? null,
      recipient: notice.recipient,
      status: notice.recipient ? "pending" : "skipped",
      lastError: notice.recipient ? null : "Nobody to tell",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(notices).where(eq(notices.key, notice.key));
  if (row?.status !== "pending" || !row.recipient) return done(`notice ${notice.key} is ${row?.status ?? "missing"}`);

  const suppressed = await findSuppression(db, row.organizationId, row.recipient);
  if (suppressed || row.attempts >= MAX_ATTEMPTS) {
    const reason = suppressed ? `${row.recipient} is suppressed (${suppressed.reason})` : "Gave up after the last attempt";
    await db
      .update(notices)
      .set({ status: suppressed ? "skipped" : "failed", lastError: reason, updatedAt: now })
      .where(and(eq(notices.id, row.id), eq(notices.status, "pending")));
    return done(`notice ${notice.key} not sent: ${reason}`);
  }
  const [claimed] = await db
    .update(notices)
    .set({ attempts: row.attempts + 1, updatedAt: now })
    .where(and(eq(notices.id, row.id), eq(notices.status, "pending"), eq(notices.attempts, row.attempts)))
    .returning({ attempts: notices.attempts });
  if (!claimed) return done(`notice ${notice.key} claimed by another consumer`);

  const [org] = await db.select({ emailSenderName: organizations.emailSenderName }).from(organizations).where(eq(organizations.id, row.organizationId));
  const guard = and(eq(notices.id, row.id), eq(notices.attempts, claimed.attempts));
  try {
    const sent = await sendEmail(env, {
      idempotencyKey: notice.key,
      organizationId: row.organizationId,
      from: senderOf(config(env).delivery, org ?? null),
      to: row.recipient,
      ...notice.content(),
      tags: { notice: notice.key, organization_id: row.organizationId },
    });
    await db.update(notices).set({ status: "sent", sentAt: now, providerMessageId: sent.providerMessageId, lastError: null, updatedAt: now }).where(guard);
    log("info", "notice sent", { key: notice.key, organizationId: row.organizationId, provider: sent.provider });
    return done(`notice ${notice.key} sent`);
  } catch (err) {
    const failure = asDeliveryFailure(err);
    const plan = planRetry(failure, claimed.attempts);
    await db
      .update(notices)
      .set({ status: plan.retry ? "pending" : "failed", lastError: failure.message.slice(0, 2000), updatedAt: now })
      .where(guard);
    log(plan.retry ? "warn" : "error", "notice not sent", { key: notice.key, failureClass: failure.failureClass, error: failure.message });
    return plan.retry ? retryIn(plan.delaySeconds, `notice ${notice.key}: ${failure.failureClass}`) : done(`notice ${notice.key} failed: ${failure.message}`);
  }
}

/** Several notices for one message: the message is retried (once, for the longest wait) if any of them asks. */
export async function sendNotices(env: Env, db: Db, list: Notice[], now: Date): Promise<JobOutcome> {
  const decisions: JobOutcome[] = [];
  for (const notice of list) decisions.push(await sendNotice(env, db, notice, now));
  const retries = decisions.flatMap((d) => (d.kind === "retry" ? [d] : []));
  if (!retries.length) return done(`${list.length} notices handled`);
  return retryIn(Math.max(...retries.map((d) => d.delaySeconds)), `${retries.length} of ${list.length} notices to retry`);
}
