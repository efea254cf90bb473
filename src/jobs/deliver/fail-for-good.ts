import { and, eq } from "drizzle-orm";
import { createDb } from "../../db/client";
import { reportDeliveries } from "../../db/schema";
import { enqueueDeliveries } from "../messages";

/**
 * For the dead-letter consumer: a delivery whose message was lost after its last retry is failed
 * (only if still pending: a sent or already failed one is left alone), and a `deliver` message is
 * queued so that the consumer sends the creator's notice with its usual retries.
 */
export async function failDeliveryForGood(env: Env, deliveryId: string, organizationId: string, reason: string): Promise<boolean> {
  const db = createDb(env.DB);
  const now = new Date();
  const [failed] = await db
    .update(reportDeliveries)
    .set({ status: "failed", lastError: reason.slice(0, 2000), failureClass: "dead_lettered", nextAttemptAt: null, updatedAt: now })
    .where(and(eq(reportDeliveries.id, deliveryId), eq(reportDeliveries.organizationId, organizationId), eq(reportDeliveries.status, "pending")))
    .returning({ executionId: reportDeliveries.executionId });
  if (!failed) return false;
  await enqueueDeliveries(env, [{ id: deliveryId, executionId: failed.executionId, organizationId }]);
  return true;
}
