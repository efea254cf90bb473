import { log } from "../lib/log";
import { consumeDeadLetters } from "./dead-letter/consumer";
import { consumeDelivery } from "./deliver/consumer";
import { consumeGeneration } from "./generate/consumer";
import { QUEUES } from "./messages";

type Consumer = (batch: MessageBatch<unknown>, env: Env) => Promise<void>;

const consumers: Record<(typeof QUEUES)[keyof typeof QUEUES], Consumer> = {
  [QUEUES.generation]: consumeGeneration,
  [QUEUES.heavyGeneration]: consumeGeneration,
  [QUEUES.delivery]: consumeDelivery,
  [QUEUES.generationDlq]: consumeDeadLetters,
  [QUEUES.deliveryDlq]: consumeDeadLetters,
};

/** The queue handler: dispatches a batch to its queue's consumer (batch.queue tells them apart). */
export async function dispatchQueue(batch: MessageBatch<unknown>, env: Env) {
  const consumer = consumers[batch.queue as keyof typeof consumers];
  if (!consumer) {
    log("error", "batch from an unknown queue: retried", { queue: batch.queue });
    batch.retryAll({ delaySeconds: 300 });
    return;
  }
  await consumer(batch, env);
  // Progress, for the consumer-stalled alert: one small write per batch, not per message.
  await env.DB.prepare(
    "insert into consumer_heartbeats (queue, last_batch_at) values (?1, ?2) on conflict (queue) do update set last_batch_at = excluded.last_batch_at",
  )
    .bind(batch.queue, Date.now())
    .run();
}
