import { and, eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { reportExecutions } from "../../db/schema";
import { failDeliveryForGood } from "../deliver/fail-for-good";
import { failExecution } from "../generate/fail";
import { QUEUES } from "../messages";
import { idsOf, recordDeadLetter } from "./record";

/**
 * The dead-letter queues' consumer: a message that exhausted its retries is recorded, and the
 * execution or delivery it was about is failed for good (never left pending for ever, never
 * silently acked).
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env) {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    await recordDeadLetter(env, batch.queue, message, `Gave up after ${message.attempts} deliveries`);
    const { kind, executionId, organizationId, deliveryId } = idsOf(message);
    if (batch.queue === QUEUES.generationDlq && executionId && organizationId) {
      const [execution] = await db
        .select()
        .from(reportExecutions)
        .where(and(eq(reportExecutions.id, executionId), eq(reportExecutions.organizationId, organizationId)));
      if (execution) await failExecution(env, execution, `The run was lost after ${message.attempts} deliveries of its message`, "lost", new Date());
    }
    if (batch.queue === QUEUES.deliveryDlq && kind === "deliver" && deliveryId && organizationId) {
      await failDeliveryForGood(env, deliveryId, organizationId, `The delivery was lost after ${message.attempts} deliveries of its message`);
    }
    message.ack();
  }
}
