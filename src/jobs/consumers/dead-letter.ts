import { and, eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { deadLetters, reportExecutions } from "../../db/schema";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";
import { failDeliveryForGood } from "../../services/deliveries/fail-for-good";
import { failExecution } from "../../services/executions/fail";
import { QUEUES } from "../messages";

const str = (v: unknown) => (typeof v === "string" ? v : null);

export async function recordDeadLetter(env: Env, queue: string, message: Message<unknown>, reason: string) {
  const body = (message.body ?? {}) as Record<string, unknown>;
  await createDb(env.DB)
    .insert(deadLetters)
    .values({
      id: newId(),
      queue,
      messageId: message.id,
      organizationId: str(body.organizationId),
      executionId: str(body.executionId),
      deliveryId: str(body.deliveryId),
      body: JSON.stringify(message.body).slice(0, 100_000),
      reason,
      attempts: message.attempts,
      createdAt: new Date(),
    })
    .onConflictDoNothing();
  log("error", "message dead-lettered", { queue, messageId: message.id, executionId: str(body.executionId), deliveryId: str(body.deliveryId), reason });
}

/**
 * The dead-letter queues' consumer: a message that exhausted its retries is recorded, and the
 * execution it was about is failed for good (never left pending for ever, never silently acked).
 */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, env: Env) {
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    await recordDeadLetter(env, batch.queue, message, `Gave up after ${message.attempts} deliveries`);
    const body = (message.body ?? {}) as Record<string, unknown>;
    const executionId = str(body.executionId);
    const organizationId = str(body.organizationId);
    if (batch.queue === QUEUES.generationDlq && executionId && organizationId) {
      const [execution] = await db
        .select()
        .from(reportExecutions)
        .where(and(eq(reportExecutions.id, executionId), eq(reportExecutions.organizationId, organizationId)));
      if (execution) await failExecution(env, db, execution, `The run was lost after ${message.attempts} deliveries of its message`, "lost", new Date());
    }
    const deliveryId = str(body.deliveryId);
    if (batch.queue === QUEUES.deliveryDlq && body.kind === "deliver" && deliveryId && organizationId) {
      await failDeliveryForGood(env, deliveryId, organizationId, `The delivery was lost after ${message.attempts} deliveries of its message`);
    }
    message.ack();
  }
}
