import { channels } from "../../channels";
import { asDeliveryFailure, DeliveryFailure, type DeliveryInput } from "../../channels/types";
import { createDb } from "../../db/client";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { fileLinkUrl, signFileLink } from "../../storage/links";
import { claimAttempt, finalStatusOf, giveUp, recordFinal, recordRetry, recordSent } from "./attempts";
import { ack, MAX_ATTEMPTS, planRetry, type QueueDecision, retryIn } from "./backoff";
import { loadDelivery } from "./load";
import { notifyDeliveryFailed } from "./notify-delivery-failed";

export type DeliverJob = { deliveryId: string; executionId: string; organizationId: string; traceparent?: string };

/** Queue delays are not exact: a retry this close to its due time is treated as due. */
const EARLY_TOLERANCE_MS = 30_000;

/**
 * One attempt at one delivery. Only a pending delivery is sent, after claiming the attempt; the
 * outcome (sent, retry with its delay, or final) is recorded on the delivery and its attempt row.
 * A delivery already failed or bounced gets its creator notice (sent once) instead.
 */
export async function deliverOnce(env: Env, job: DeliverJob, messageAttempts: number, now = new Date()): Promise<QueueDecision> {
  const db = createDb(env.DB);
  const loaded = await loadDelivery(db, job.deliveryId, job.organizationId);
  if (!loaded) return ack("delivery not found in its organization");
  const { delivery, execution, organization, report } = loaded;
  const logFields = { deliveryId: delivery.id, executionId: execution.id, organizationId: organization.id, channel: delivery.recipientType, traceId: traceIdOf(job.traceparent) ?? execution.traceId };

  if (delivery.status === "failed" || delivery.status === "bounced") return notifyDeliveryFailed(env, db, loaded, now);
  if (delivery.status !== "pending") return ack(`delivery is already ${delivery.status}`);
  const early = (delivery.nextAttemptAt?.getTime() ?? 0) - now.getTime();
  if (early > EARLY_TOLERANCE_MS) {
    // A first delivery of a message while a retry is scheduled is a duplicate (the retry is on its
    // way); a retried message that arrived early waits for the rest.
    return messageAttempts <= 1 ? ack("duplicate message: the delivery's retry is already scheduled") : retryIn(early / 1000, "retry arrived early");
  }
  if (execution.status !== "completed" || !execution.fileKey) return ack(`execution is ${execution.status}; nothing to deliver`);
  if (delivery.attempts >= MAX_ATTEMPTS) {
    const failed = await giveUp(db, delivery, now);
    return failed ? notifyDeliveryFailed(env, db, { ...loaded, delivery: failed }, now) : ack("gave up (recorded by another consumer)");
  }

  const claim = await claimAttempt(db, delivery, now);
  if (!claim) return ack("another consumer claimed this attempt");

  const token = await signFileLink(env.JWT_SECRET, {
    executionId: execution.id,
    organizationId: organization.id,
    issuedTo: `delivery:${delivery.id}`,
    expiresAt: Math.floor(claim.linkExpiresAt.getTime() / 1000),
  });
  const input: DeliveryInput = {
    env,
    db,
    now,
    delivery: { ...delivery, attempts: claim.attempt },
    execution: { ...execution, fileKey: execution.fileKey },
    organization,
    report,
    link: { url: fileLinkUrl(env.APP_URL, token), expiresAt: claim.linkExpiresAt },
  };
  const started = Date.now();
  try {
    // Retention removed the file: a link would only lead to a 410.
    if (execution.fileExpiredAt) throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
    const result = await channels[delivery.recipientType].send(input);
    await recordSent(db, input.delivery, claim, result.providerMessageId, new Date());
    log("info", "delivery sent", { ...logFields, attempt: claim.attempt, providerMessageId: result.providerMessageId, detail: result.detail, durationMs: Date.now() - started });
    return ack("sent");
  } catch (err) {
    const failure = asDeliveryFailure(err);
    const plan = planRetry(failure, claim.attempt);
    const failedAt = new Date();
    const fields = { ...logFields, attempt: claim.attempt, failureClass: failure.failureClass, httpStatus: failure.extra.httpStatus, error: failure.message, durationMs: Date.now() - started };
    if (plan.retry) {
      await recordRetry(db, input.delivery, claim, failure, new Date(failedAt.getTime() + plan.delaySeconds * 1000), failedAt);
      log("warn", "delivery attempt failed; retrying", { ...fields, delaySeconds: plan.delaySeconds });
      return retryIn(plan.delaySeconds, failure.failureClass);
    }
    const recorded = await recordFinal(db, input.delivery, claim, failure, failedAt);
    log("error", "delivery failed for good", { ...fields, status: finalStatusOf(failure) });
    if (!recorded) return ack("final failure recorded by another consumer");
    const final = { ...input.delivery, status: finalStatusOf(failure), lastError: failure.message.slice(0, 2000), updatedAt: failedAt };
    return notifyDeliveryFailed(env, db, { ...loaded, delivery: final }, failedAt);
  }
}
