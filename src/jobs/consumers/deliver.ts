import { log } from "../../lib/log";

/** Placeholder until the delivery channels land: keeps messages (retried later), never drops them. */
export async function consumeDelivery(batch: MessageBatch<unknown>, _env: Env) {
  for (const message of batch.messages) {
    log("warn", "delivery consumer not ready yet: message retried", { messageId: message.id });
    message.retry({ delaySeconds: 600 });
  }
}
