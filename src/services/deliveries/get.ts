import { and, asc, eq } from "drizzle-orm";
import { deliveryAttempts, reportDeliveries } from "../../db/schema";
import { recipientValueFor } from "../../domain/recipients";
import { NotFoundError } from "../../errors";
import type { ServiceContext } from "../context";

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** One delivery with every attempt made at it (any role may read; scoped to the caller's organization). */
export async function getDelivery({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const [delivery] = await ctx.db
    .select()
    .from(reportDeliveries)
    .where(and(eq(reportDeliveries.id, id), eq(reportDeliveries.organizationId, ctx.auth.organizationId)));
  if (!delivery) throw new NotFoundError("Delivery");
  const attempts = await ctx.db
    .select()
    .from(deliveryAttempts)
    .where(and(eq(deliveryAttempts.deliveryId, id), eq(deliveryAttempts.organizationId, ctx.auth.organizationId)))
    .orderBy(asc(deliveryAttempts.startedAt), asc(deliveryAttempts.attempt));
  return {
    id: delivery.id,
    executionId: delivery.executionId,
    recipientType: delivery.recipientType,
    recipientValue: recipientValueFor(ctx.auth.role, { type: delivery.recipientType, value: delivery.recipientValue }),
    status: delivery.status,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    failureClass: delivery.failureClass,
    nextAttemptAt: iso(delivery.nextAttemptAt),
    providerMessageId: delivery.providerMessageId,
    deliveredAt: iso(delivery.deliveredAt),
    history: attempts.map((a) => ({
      attempt: a.attempt,
      startedAt: a.startedAt.toISOString(),
      finishedAt: iso(a.finishedAt),
      outcome: a.outcome,
      failureClass: a.failureClass,
      httpStatus: a.httpStatus,
      error: a.error,
      providerMessageId: a.providerMessageId,
      retryAt: iso(a.retryAt),
    })),
  };
}
