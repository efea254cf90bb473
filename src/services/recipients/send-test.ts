import { channels } from "../../channels";
import { asDeliveryFailure } from "../../channels/types";
import type { Recipient } from "../../db/schema";
import { enforceRateLimit } from "../../http/rate-limit";
import { AppError } from "../../http/errors";
import { issueFileLink } from "../../storage/links";
import type { ServiceContext } from "../context";
import { requireRole } from "../policy";
import { loadOrganization, normalizeRecipients } from "../scheduled-reports/normalize";

const SAMPLE = "message,sent_by\r\nThis is a test of your report delivery,Scheduled Reports\r\n";

/**
 * The wizard's "send a test": one message through the recipient's real channel (same checks,
 * same signing), with a two-line sample file, answered at once. Nothing is recorded as a delivery;
 * the runs limit applies, so it cannot be used to spam an address.
 */
export async function sendTestMessage({ ctx, input }: { ctx: ServiceContext; input: Recipient }) {
  requireRole(ctx.auth, "editor");
  const org = await loadOrganization(ctx);
  const [recipient] = normalizeRecipients(ctx, org, [input]);
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "test messages for your organization");
  const id = `test-${crypto.randomUUID()}`;
  const fileKey = `${ctx.auth.organizationId}/tests/${id}/test-message.csv`;
  await ctx.env.REPORTS.put(fileKey, SAMPLE, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
  try {
    const result = await channels[recipient!.type].send({
      env: ctx.env,
      db: ctx.db,
      now: ctx.now,
      delivery: { id, organizationId: org.id, executionId: id, recipientType: recipient!.type, recipientValue: recipient!.value, status: "pending", attempts: 0, lastError: null, providerMessageId: null, deliveredAt: null, failureClass: null, nextAttemptAt: null, createdAt: ctx.now, updatedAt: ctx.now },
      execution: {
        id, organizationId: org.id, scheduledReportId: id, scheduledFor: ctx.now, trigger: "manual", triggeredBy: ctx.auth.userId, status: "completed", attempt: 1, format: "csv",
        startedAt: ctx.now, completedAt: ctx.now, durationMs: 0, rowCount: 1, nextAttemptAt: null, traceId: id, fileKey, fileName: "test-message.csv", fileSize: SAMPLE.length,
        errorMessage: null, errorClass: null, pinned: false, fileExpiredAt: null, createdAt: ctx.now,
      },
      organization: org,
      report: { id, name: "Test message" },
      link: await issueFileLink(ctx.env, { executionId: id, organizationId: org.id, issuedTo: `user:${ctx.auth.userId}` }, ctx.now),
    });
    return { sent: true, providerMessageId: result.providerMessageId };
  } catch (err) {
    const failure = asDeliveryFailure(err);
    throw new AppError(422, "test_delivery_failed", `The test message was not delivered: ${failure.message}`, [{ path: "value", message: failure.failureClass }]);
  } finally {
    await ctx.env.REPORTS.delete(fileKey);
  }
}
