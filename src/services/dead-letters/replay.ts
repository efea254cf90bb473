import { and, eq, isNull } from "drizzle-orm";
import { deadLetters, reportDeliveries } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { ConflictError, NotFoundError } from "../../errors";
import { enqueueDeliveries } from "../../jobs/messages";
import type { ServiceContext } from "../context";
import { retryExecution } from "../executions/retry";
import { toDeadLetterDto } from "./dto";

/**
 * Gives a dead-lettered message's work another go, once: a lost run is retried with a fresh set of
 * attempts, a lost delivery is sent again. The dead letter is marked replayed first (a guarded
 * update), so two clicks replay once.
 */
export async function replayDeadLetter({ ctx, id }: { ctx: ServiceContext; id: string }) {
  requireRole(ctx.auth, "admin");
  const [letter] = await ctx.db
    .select()
    .from(deadLetters)
    .where(and(eq(deadLetters.id, id), eq(deadLetters.organizationId, ctx.auth.organizationId)));
  if (!letter) throw new NotFoundError("Dead letter");
  if (letter.replayedAt) throw new ConflictError(`This message was replayed on ${letter.replayedAt.toISOString()}`);
  if (!letter.executionId && !letter.deliveryId)
    throw new ConflictError("This message names no run or delivery (it could not be read); there is nothing to replay");

  const [claimed] = await ctx.db
    .update(deadLetters)
    .set({ replayedAt: ctx.now })
    .where(and(eq(deadLetters.id, id), isNull(deadLetters.replayedAt)))
    .returning();
  if (!claimed) throw new ConflictError("This message is being replayed already");
  const target = { targetType: "dead_letter", targetId: id };
  try {
    if (letter.deliveryId && letter.executionId) {
      const [reset] = await ctx.db.batch([
        ctx.db
          .update(reportDeliveries)
          .set({ status: "pending", attempts: 0, lastError: null, failureClass: null, nextAttemptAt: null, updatedAt: ctx.now })
          .where(
            and(
              eq(reportDeliveries.id, letter.deliveryId),
              eq(reportDeliveries.organizationId, ctx.auth.organizationId),
              eq(reportDeliveries.status, "failed"),
            ),
          )
          .returning({ id: reportDeliveries.id }),
        auditInsert(ctx, { type: "dead_letter.replayed", ...target, data: { queue: letter.queue, deliveryId: letter.deliveryId } }),
      ]);
      if (!reset.length) throw new ConflictError("The delivery is no longer failed; nothing to replay");
      await enqueueDeliveries(ctx.env, [{ id: letter.deliveryId, executionId: letter.executionId, organizationId: ctx.auth.organizationId }]);
    } else if (letter.executionId) {
      await retryExecution({ ctx, id: letter.executionId });
      await auditInsert(ctx, { type: "dead_letter.replayed", ...target, data: { queue: letter.queue, executionId: letter.executionId } });
    }
  } catch (err) {
    // Nothing was replayed: the dead letter may be replayed again once the cause is fixed.
    await ctx.db.update(deadLetters).set({ replayedAt: null }).where(eq(deadLetters.id, id));
    throw err;
  }
  return toDeadLetterDto(claimed);
}
