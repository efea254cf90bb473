import type { deadLetters } from "../../db/schema";

export const toDeadLetterDto = (d: typeof deadLetters.$inferSelect) => ({
  id: d.id,
  queue: d.queue,
  executionId: d.executionId,
  deliveryId: d.deliveryId,
  reason: d.reason,
  attempts: d.attempts,
  createdAt: d.createdAt.toISOString(),
  replayedAt: d.replayedAt?.toISOString() ?? null,
});
