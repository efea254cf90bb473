import { createDb } from "../../db/client";
import { deadLetters } from "../../db/schema";
import { newId } from "../../lib/ids";
import { log } from "../../lib/log";

const str = (v: unknown) => (typeof v === "string" ? v : null);

/** The ids a message names, whatever its kind (read without trusting its shape). */
export function idsOf(message: Message<unknown>) {
  const body = (message.body ?? {}) as Record<string, unknown>;
  return { kind: str(body.kind), organizationId: str(body.organizationId), executionId: str(body.executionId), deliveryId: str(body.deliveryId) };
}

/** Keeps a message that could not be processed, with why: an operator can see and replay it. */
export async function recordDeadLetter(env: Env, queue: string, message: Message<unknown>, reason: string) {
  const ids = idsOf(message);
  await createDb(env.DB)
    .insert(deadLetters)
    .values({
      id: newId(),
      queue,
      messageId: message.id,
      organizationId: ids.organizationId,
      executionId: ids.executionId,
      deliveryId: ids.deliveryId,
      body: JSON.stringify(message.body).slice(0, 100_000),
      reason,
      attempts: message.attempts,
      createdAt: new Date(),
    })
    .onConflictDoNothing();
  log("error", "message dead-lettered", { queue, messageId: message.id, executionId: ids.executionId, deliveryId: ids.deliveryId, reason });
}
