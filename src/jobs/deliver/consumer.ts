import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { type DeliveryJob, DeliveryJobSchema, deferDelivery } from "../messages";
import { failedForGood, type JobOutcome, retryDelay, retryIn, settle } from "../outcome";
import { eachLimited } from "../pool";
import { deliverOnce, type SendBook } from "./deliver-once";
import { notifyAlert } from "./notify-alert";
import { notifyExecutionFailed } from "./notify-execution-failed";

/** Workers allow six open connections per invocation; more would queue inside fetch and eat the timeouts. */
const CONCURRENCY = 4;
/** How long a delivery over its organization's send rate waits (the limiter counts per minute). */
const SEND_RATE_DELAY_SECONDS = 60;

function dispatch(env: Env, job: DeliveryJob, messageAttempts: number, book: SendBook): Promise<JobOutcome> {
  switch (job.kind) {
    case "deliver":
      return deliverOnce(env, job, messageAttempts, new Date(), book);
    case "notify_execution_failed":
      return notifyExecutionFailed(env, job, new Date());
    case "notify_alert":
      return notifyAlert(env, job, new Date());
  }
}

type Settled = { message: Message<unknown>; outcome: JobOutcome; trace: Record<string, unknown>; kind: string; writes: D1PreparedStatement[] };

/** Decides one message; it is settled (acked or retried) by the caller, after the batch's sends are recorded. */
async function handle(message: Message<unknown>, env: Env, queue: string): Promise<Settled | null> {
  const writes: D1PreparedStatement[] = [];
  const book: SendBook = { record: (statements) => void writes.push(...statements) };
  const parsed = DeliveryJobSchema.safeParse(message.body);
  if (!parsed.success) {
    // No retry can make it readable: recorded as a dead letter, then dropped on purpose.
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    await settle(env, queue, message, failedForGood("internal", `Unreadable delivery message: ${issues}`, false));
    return null;
  }
  const job = parsed.data;
  // Every line about a delivery carries its execution's trace id.
  const trace = job.kind === "notify_alert" ? {} : { executionId: job.executionId, traceId: traceIdOf(job.traceparent) };
  if (job.kind === "deliver" && !(await env.SEND_LIMITER.limit({ key: `org:${job.organizationId}` })).success) {
    // Over the organization's send rate: put off, not failed. A fresh message, so that waiting
    // does not use up the retries the queue allows before dead-lettering.
    await deferDelivery(env, job, SEND_RATE_DELAY_SECONDS);
    message.ack();
    log("warn", "delivery put off: the organization's send rate is exceeded", {
      ...trace,
      deliveryId: job.deliveryId,
      organizationId: job.organizationId,
      delaySeconds: SEND_RATE_DELAY_SECONDS,
    });
    return null;
  }
  let outcome: JobOutcome;
  try {
    outcome = await dispatch(env, job, message.attempts, book);
  } catch (err) {
    // Our own trouble (D1, R2): the message comes back later; after the queue's last retry it is dead-lettered.
    outcome = retryIn(retryDelay("delivery", message.attempts), `delivery message failed: ${errorMessage(err)}`);
    log("error", "delivery message failed; retried", {
      ...trace,
      messageId: message.id,
      kind: job.kind,
      error: errorMessage(err),
      delaySeconds: outcome.kind === "retry" ? outcome.delaySeconds : 0,
    });
  }
  return { message, outcome, trace, kind: job.kind, writes };
}

/**
 * The delivery queue's consumer: every message is acked or retried on purpose, a few at a time. The
 * sends of the whole batch are recorded in one round trip before any message is acknowledged; if
 * that write fails, their messages come back (the deliveries were claimed, so the next attempt
 * sends again, with the same idempotency key and webhook-id: at least once, never lost).
 */
export async function consumeDelivery(batch: MessageBatch<unknown>, env: Env) {
  const settled: Settled[] = [];
  await eachLimited(batch.messages, CONCURRENCY, async (message) => {
    const s = await handle(message, env, batch.queue);
    if (s) settled.push(s);
  });
  const writes = settled.flatMap((s) => s.writes);
  let recorded = true;
  if (writes.length) {
    try {
      await env.DB.batch(writes);
    } catch (err) {
      recorded = false;
      log("error", "recording the batch's sends failed; their messages are retried", {
        queue: batch.queue,
        error: errorMessage(err),
        statements: writes.length,
      });
    }
  }
  for (const { message, outcome, trace, kind, writes: own } of settled) {
    const final = !recorded && own.length ? retryIn(retryDelay("delivery", message.attempts), "send not recorded") : outcome;
    await settle(env, batch.queue, message, final, trace);
    log("debug", "delivery message handled", { ...trace, messageId: message.id, kind, outcome: final.kind, reason: final.reason });
  }
}
