import { and, eq } from "drizzle-orm";
import { sendEmail, senderOf } from "../../channels/email";
import type { EmailContent } from "../../channels/email-templates";
import { failureOf, postWithDeadline } from "../../channels/http";
import { checkSendUrl } from "../../channels/outbound-url";
import { asDeliveryFailure } from "../../channels/types";
import { signWithAll } from "../../channels/webhook-signature";
import { config, type DeliveryConfig } from "../../config";
import type { Db } from "../../db/client";
import { type NoticeKind, notices, organizations, users } from "../../db/schema";
import { findSuppression } from "../../domain/suppressions";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { done, type JobOutcome, retryIn } from "../outcome";
import { MAX_ATTEMPTS, planRetry } from "./backoff";

/**
 * How a notice travels. Email to a person (the address is the recipient); or one of an alert
 * route's endpoints: a Slack incoming webhook, or a webhook signed with Standard Webhooks under the
 * organization's signing secrets (the operator's: its own), whose `webhook-id` is the notice key.
 */
export type NoticeVia =
  | { channel: "email"; content: () => EmailContent }
  | { channel: "slack"; url: string; text: string }
  | { channel: "webhook"; url: string; payload: unknown; secrets: () => Promise<string[]> };

export type Notice = {
  /** Names the occurrence and its recipient: the notice goes out once per key, however often it is asked for. */
  key: string;
  kind: NoticeKind;
  organizationId: string;
  executionId?: string;
  deliveryId?: string;
  alertId?: string;
  /** The address, or the route's name for Slack and webhooks (their URLs are credentials, kept out of the row). Null when there is nobody to tell (recorded as skipped). */
  recipient: string | null;
  via: NoticeVia;
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
      channel: notice.via.channel,
      status: notice.recipient ? "pending" : "skipped",
      lastError: notice.recipient ? null : "Nobody to tell",
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing();
  const [row] = await db.select().from(notices).where(eq(notices.key, notice.key));
  if (row?.status !== "pending" || !row.recipient) return done(`notice ${notice.key} is ${row?.status ?? "missing"}`);

  const suppressed = notice.via.channel === "email" ? await findSuppression(db, row.organizationId, row.recipient) : null;
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

  const guard = and(eq(notices.id, row.id), eq(notices.attempts, claimed.attempts));
  try {
    const sent = await transmit(env, db, { ...notice, recipient: row.recipient }, now);
    await db.update(notices).set({ status: "sent", sentAt: now, providerMessageId: sent.providerMessageId, lastError: null, updatedAt: now }).where(guard);
    log("info", "notice sent", { key: notice.key, organizationId: row.organizationId, channel: notice.via.channel, provider: sent.provider });
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

async function transmit(env: Env, db: Db, notice: Notice & { recipient: string }, now: Date): Promise<{ providerMessageId: string | null; provider: string }> {
  const delivery = config(env).delivery;
  const { via } = notice;
  if (via.channel === "email") {
    const [org] = await db.select({ emailSenderName: organizations.emailSenderName }).from(organizations).where(eq(organizations.id, notice.organizationId));
    return sendEmail(env, {
      idempotencyKey: notice.key,
      organizationId: notice.organizationId,
      from: senderOf(delivery, org ?? null),
      to: notice.recipient,
      ...via.content(),
      tags: { notice: notice.key, organization_id: notice.organizationId },
    });
  }
  if (via.channel === "slack") {
    await post(delivery, via.url, "Slack", { "content-type": "application/json" }, JSON.stringify({ text: via.text }), now);
    return { providerMessageId: null, provider: "slack" };
  }
  const body = JSON.stringify(via.payload);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers = {
    "content-type": "application/json",
    "user-agent": "ScheduledReports-Webhooks/1.0",
    "webhook-id": notice.key,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": await signWithAll(await via.secrets(), notice.key, timestamp, body),
  };
  await post(delivery, via.url, "The alert webhook", headers, body, now);
  return { providerMessageId: null, provider: "webhook" };
}

/** One POST through the outbound guard; a non-2xx answer is the failure it stands for. */
async function post(delivery: DeliveryConfig, raw: string, what: string, headers: Record<string, string>, body: string, now: Date) {
  const url = await checkSendUrl(delivery, raw, what);
  const res = await postWithDeadline(url.toString(), { headers, body, timeoutMs: delivery.webhookTimeoutMs }, what);
  const failure = await failureOf(res, what, now);
  if (failure) throw failure;
  await res.body?.cancel();
}

/** Several notices for one message: the message is retried (once, for the longest wait) if any of them asks. */
export async function sendNotices(env: Env, db: Db, list: Notice[], now: Date): Promise<JobOutcome> {
  const decisions: JobOutcome[] = [];
  for (const notice of list) decisions.push(await sendNotice(env, db, notice, now));
  const retries = decisions.flatMap((d) => (d.kind === "retry" ? [d] : []));
  if (!retries.length) return done(`${list.length} notices handled`);
  return retryIn(Math.max(...retries.map((d) => d.delaySeconds)), `${retries.length} of ${list.length} notices to retry`);
}
