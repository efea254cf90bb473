import { errorMessage } from "../../errors";
import { log } from "../../lib/log";
import { traceIdOf } from "../../lib/trace";
import { type DeliveryJob, DeliveryJobSchema, deferDelivery } from "../messages";
import { failedForGood, type JobOutcome, retryDelay, retryIn, settle } from "../outcome";
import { eachLimited } from "../pool";
import { deliverOnce } from "./deliver-once";
import { notifyAlert } from "./notify-alert";
import { notifyExecutionFailed } from "./notify-execution-failed";

/** Workers allow six open connections per invocation; more would queue inside fetch and eat the timeouts. */
const CONCURRENCY = 4;
/** How long a delivery over its organization's send rate waits (the limiter counts per minute). */
const SEND_RATE_DELAY_SECONDS = 60;

function dispatch(env: Env, job: DeliveryJob, messageAttempts: number): Promise<JobOutcome> {
  switch (job.kind) {
    case "deliver":
      return deliverOnce(env, job, messageAttempts);
    case "notify_execution_failed":
      return notifyExecutionFailed(env, job, new Date());
    case "notify_alert":
      return notifyAlert(env, job, new Date());
  }
}

async function handle(message: Message<unknown>, env: Env, queue: string): Promise<void> {
  const parsed = DeliveryJobSchema.safeParse(message.body);
  if (!parsed.success) {
    // No retry can make it readable: recorded as a dead letter, then dropped on purpose.
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    await settle(env, queue, message, failedForGood("internal", `Unreadable delivery message: ${issues}`, false));
    return;
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
    return;
  }
  let outcome: JobOutcome;
  try {
    outcome = await dispatch(env, job, message.attempts);
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
  await settle(env, queue, message, outcome, trace);
  log("debug", "delivery message handled", { ...trace, messageId: message.id, kind: job.kind, outcome: outcome.kind, reason: outcome.reason });
}

/** The delivery queue's consumer: every message is acked or retried on purpose, a few at a time. */
export async function consumeDelivery(batch: MessageBatch<unknown>, env: Env) {
  await eachLimited(batch.messages, CONCURRENCY, (message) => handle(message, env, batch.queue));
}
