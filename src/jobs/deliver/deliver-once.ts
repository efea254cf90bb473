import { sendThrough } from "../../channels";
import { type ChannelMessage, DeliveryFailure } from "../../channels/types";
import { config } from "../../config";
import { createDb, type Db } from "../../db/client";
import { refusalFrom } from "../../domain/refusals";
import { slackAppOf } from "../../domain/slack-connection";
import { returnEmail } from "../../domain/usage";
import { signingSecrets } from "../../domain/webhook-secrets";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { fileLinkUrl, LINK_TTL_SECONDS, signFileLink } from "../../storage/links";
import type { DeliverJob } from "../messages";
import { done, type JobOutcome, retryIn } from "../outcome";
import { type Claim, cancelDelivery, claimAttempt, finalStatusOf, giveUp, recordFinal, recordRetry, recordSent, sentStatements } from "./attempts";
import { MAX_ATTEMPTS, planRetry } from "./backoff";
import { claimReportEmail } from "./email-quota";
import { IN_FLIGHT_MS, type LoadedDelivery, loadDelivery } from "./load";
import { notifyDeliveryFailed } from "./notify-delivery-failed";

/**
 * Where a consumer collects the writes that record successful sends, to write a whole batch's in
 * one round trip before it acknowledges the messages (see consumer.ts). Without one, each is written at once.
 */
export type SendBook = { record(statements: D1PreparedStatement[]): void };

/** Queue delays are not exact: a retry this close to its due time is treated as due. */
const EARLY_TOLERANCE_MS = 30_000;

/**
 * One attempt at one delivery. Only a pending delivery is sent, after claiming the attempt; the
 * outcome (sent, retry with its delay, or final) is recorded on the delivery and its attempt row.
 * A delivery already failed or bounced gets its creator notice (sent once) instead.
 */
export async function deliverOnce(env: Env, job: DeliverJob, messageAttempts: number, now = new Date(), book?: SendBook): Promise<JobOutcome> {
  const db = createDb(env.DB);
  // The load claims the next attempt too when the delivery is plainly to be sent (one round trip);
  // otherwise the checks below decide, from what it read.
  const terms = { now, attemptId: newId(), linkTtlMs: LINK_TTL_SECONDS * 1000, earlyToleranceMs: EARLY_TOLERANCE_MS, maxAttempts: MAX_ATTEMPTS };
  const loaded = await loadDelivery(db, job, terms);
  if (!loaded) return done("delivery not found in its organization");
  const { delivery, execution, organization } = loaded;
  const logFields = {
    deliveryId: delivery.id,
    executionId: execution.id,
    organizationId: organization.id,
    channel: delivery.recipientType,
    traceId: traceIdOf(job.traceparent) ?? execution.traceId,
  };
  const claim = loaded.claim ?? (await decideUnclaimed(env, db, job, loaded, messageAttempts, now, logFields));
  if (!("attempt" in claim)) return claim;
  const claimed = { ...delivery, attempts: claim.attempt };
  const started = Date.now();
  // Retention removed the file: a link would only lead to a 410.
  const refused = execution.fileExpiredAt
    ? new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent")
    : refusalFrom(organization, { type: delivery.recipientType, value: delivery.recipientValue }, loaded.preloaded);
  // Last: an email counts against the day's quota only when nothing else stops it.
  const counted = !refused && delivery.recipientType === "email";
  const refusal = counted ? await claimReportEmail(env, { organizationId: organization.id, triggeredBy: execution.triggeredBy }, now) : refused;
  const outcome = refusal
    ? ({ ok: false, failure: refusal } as const)
    : await sendThrough(delivery.recipientType, await channelMessage(env, db, loaded, claim, now), { env, config: config(env).delivery, now });
  // An email that did not go does not count (given back on the day it was counted).
  if (counted && !refusal && !outcome.ok) await returnEmail(env.DB, organization.id, now);

  if (outcome.ok) {
    if (book) book.record(sentStatements(env.DB, db, claimed, claim, outcome.providerMessageId, new Date()));
    else await recordSent(db, claimed, claim, outcome.providerMessageId, new Date());
    log("info", "delivery sent", {
      ...logFields,
      attempt: claim.attempt,
      providerMessageId: outcome.providerMessageId,
      detail: outcome.detail,
      durationMs: Date.now() - started,
    });
    return done("sent");
  }
  const { failure } = outcome;
  const plan = planRetry(failure, claim.attempt);
  const failedAt = new Date();
  const fields = {
    ...logFields,
    attempt: claim.attempt,
    failureClass: failure.failureClass,
    httpStatus: failure.extra.httpStatus,
    error: failure.message,
    durationMs: Date.now() - started,
  };
  if (plan.retry) {
    await recordRetry(db, claimed, claim, failure, new Date(failedAt.getTime() + plan.delaySeconds * 1000), failedAt);
    log("warn", "delivery attempt failed; retrying", { ...fields, delaySeconds: plan.delaySeconds });
    return retryIn(plan.delaySeconds, failure.failureClass);
  }
  const recorded = await recordFinal(db, claimed, claim, failure, failedAt);
  log("error", "delivery failed for good", { ...fields, status: finalStatusOf(failure) });
  if (!recorded) return done("final failure recorded by another consumer");
  const final = {
    ...claimed,
    status: finalStatusOf(failure),
    failureClass: failure.failureClass,
    lastError: failure.message.slice(0, 2000),
    updatedAt: failedAt,
  };
  return notifyDeliveryFailed(env, db, { ...loaded, delivery: final }, failedAt);
}

/**
 * A delivery the load did not claim: already sent, failed or cancelled, waiting for its retry, out of
 * attempts, its recipient removed, or claimed by another consumer. Says what to do, or claims the
 * attempt in a round trip of its own when the delivery is to be sent after all.
 */
async function decideUnclaimed(
  env: Env,
  db: Db,
  job: DeliverJob,
  loaded: LoadedDelivery,
  messageAttempts: number,
  now: Date,
  logFields: Record<string, unknown>,
): Promise<Claim | JobOutcome> {
  const { delivery, execution } = loaded;
  if (delivery.failureClass === "recipient_removed") return done("delivery was cancelled: its recipient was removed");
  if (delivery.status === "failed" || delivery.status === "bounced") return notifyDeliveryFailed(env, db, loaded, now);
  if (delivery.status !== "pending") return done(`delivery is already ${delivery.status}`);
  // Deliveries go only to the report's current recipients: one removed since the run (or a deleted
  // report, whose links would answer 410) is cancelled with the reason, and nobody is notified.
  const removed = removalOf(loaded);
  if (removed) {
    await cancelDelivery(db, delivery, removed, now);
    log("info", "delivery cancelled", { ...logFields, reason: removed });
    return done("cancelled: recipient removed");
  }
  const early = (delivery.nextAttemptAt?.getTime() ?? 0) - now.getTime();
  if (early > EARLY_TOLERANCE_MS) {
    // A first delivery of a message while a retry is scheduled is a duplicate (the retry is on its
    // way); a retried message that arrived early waits for the rest.
    return messageAttempts <= 1 ? done("duplicate message: the delivery's retry is already scheduled") : retryIn(early / 1000, "retry arrived early");
  }
  if (execution.status !== "completed" || !execution.fileKey) return done(`execution is ${execution.status}; nothing to deliver`);
  // A copy of a message while another consumer sends the attempt. Not a retried message (this
  // consumer's to send again, as when recording its send failed), nor one the watchdog sent again
  // because the attempt is overdue by the scheduler's clock (its consumer died).
  const open = loaded.preloaded.openAttemptStartedAt;
  if (open && open.getTime() > now.getTime() - IN_FLIGHT_MS && messageAttempts <= 1 && !job.recovered) {
    return done("another consumer is sending this attempt");
  }
  if (delivery.attempts >= MAX_ATTEMPTS) {
    const failed = await giveUp(db, delivery, now);
    return failed ? notifyDeliveryFailed(env, db, { ...loaded, delivery: failed }, now) : done("gave up (recorded by another consumer)");
  }
  return (await claimAttempt(env.DB, db, delivery, loaded.preloaded.lastLinkExpiresAt, now)) ?? done("another consumer claimed this attempt");
}

/** The message a channel sends: the report's file with its signed link (the same for every attempt of a round). */
async function channelMessage(
  env: Env,
  db: Db,
  { delivery, execution, organization, report, preloaded }: LoadedDelivery,
  claim: Claim,
  now: Date,
): Promise<ChannelMessage> {
  const cfg = config(env);
  const fileKey = execution.fileKey!;
  const token = await signFileLink(cfg.fileLinkSecret, {
    executionId: execution.id,
    organizationId: organization.id,
    issuedTo: `delivery:${delivery.id}`,
    expiresAt: Math.floor(claim.linkExpiresAt.getTime() / 1000),
  });
  return {
    id: delivery.id,
    recipient: delivery.recipientValue,
    organization,
    report,
    run: { scheduledFor: execution.scheduledFor, parameters: report.runParameters },
    file: {
      executionId: execution.id,
      format: execution.format,
      fileName: execution.fileName ?? "report",
      size: execution.fileSize,
      rowCount: execution.rowCount,
      generatedAt: execution.completedAt ?? execution.createdAt,
      note: execution.errorMessage,
      link: { url: fileLinkUrl(cfg.appUrl, token), expiresAt: claim.linkExpiresAt },
      async read() {
        const object = await env.REPORTS.get(fileKey);
        return object ? { content: new Uint8Array(await object.arrayBuffer()), contentType: object.httpMetadata?.contentType ?? null } : null;
      },
      exists: async () => (await env.REPORTS.head(fileKey)) !== null,
    },
    signingSecrets: () => signingSecrets(db, cfg.rootSecrets, organization.id, now, preloaded.webhookSecret),
    slackApp: () => slackAppOf(db, cfg.rootSecrets, organization.id),
  };
}

/** Why this delivery must not be sent any more, or null: its recipient left the report, or the report is gone. */
function removalOf({ delivery, report }: LoadedDelivery): string | null {
  if (report.recipients === null) return "Not sent: the report was deleted";
  const still = report.recipients.some((r) => r.type === delivery.recipientType && r.value === delivery.recipientValue);
  return still ? null : "Not sent: the recipient was removed from the report";
}
