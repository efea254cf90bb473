import { sendThrough } from "../../channels";
import type { ChannelMessage } from "../../channels/types";
import { config } from "../../config";
import type { Recipient } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { enforceRateLimit } from "../../domain/rate-limit";
import { maskRecipientValue } from "../../domain/recipients";
import { refusalOf } from "../../domain/refusals";
import { slackAppOf } from "../../domain/slack-connection";
import { signingSecrets } from "../../domain/webhook-secrets";
import { DomainError } from "../../errors";
import { issuedToOf, issueFileLink } from "../../storage/links";
import type { ServiceContext } from "../context";
import { loadOrganization, normalizeRecipients } from "../scheduled-reports/normalize";

const SAMPLE = new TextEncoder().encode("message,sent_by\r\nThis is a test of your report delivery,Scheduled Reports\r\n");

/**
 * The wizard's "send a test": one message through the recipient's real channel (same checks,
 * same signing), with a two-line sample file, answered at once. Nothing is recorded as a delivery;
 * the runs limit applies, so it cannot be used to spam an address.
 */
export async function sendTestMessage({ ctx, input }: { ctx: ServiceContext; input: Recipient }) {
  requireRole(ctx.auth, "editor");
  const org = await loadOrganization(ctx);
  const [recipient] = await normalizeRecipients(ctx, org, [input], () => "value");
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "test messages for your organization");
  const id = `test-${crypto.randomUUID()}`;
  const message: ChannelMessage = {
    id,
    recipient: recipient!.value,
    organization: org,
    report: { id, name: "Test message" },
    file: {
      executionId: id,
      format: "csv",
      fileName: "test-message.csv",
      size: SAMPLE.byteLength,
      rowCount: 1,
      generatedAt: ctx.now,
      note: null,
      link: await issueFileLink(ctx.env, { executionId: id, organizationId: org.id, issuedTo: issuedToOf(ctx.auth) }, ctx.now),
      read: async () => ({ content: SAMPLE, contentType: "text/csv; charset=utf-8" }),
      exists: async () => true,
    },
    signingSecrets: () => signingSecrets(ctx.db, config(ctx.env).rootSecrets, org.id, ctx.now),
    slackApp: () => slackAppOf(ctx.db, config(ctx.env).rootSecrets, org.id),
  };
  const refusal = await refusalOf(ctx.db, org, recipient!);
  const outcome = refusal
    ? ({ ok: false, failure: refusal } as const)
    : await sendThrough(recipient!.type, message, { env: ctx.env, config: config(ctx.env).delivery, now: ctx.now });
  // Test sends are audited, delivered or not: they reach people outside the organization.
  await auditInsert(ctx, {
    type: "recipient.tested",
    targetType: "recipient",
    data: { type: recipient!.type, value: maskRecipientValue(recipient!), delivered: outcome.ok, ...(outcome.ok ? {} : { error: outcome.failure.message }) },
  });
  if (!outcome.ok) {
    const { failure } = outcome;
    throw new DomainError("test_delivery_failed", `The test message was not delivered: ${failure.message}`, [{ path: "value", message: failure.failureClass }]);
  }
  return { sent: true, providerMessageId: outcome.providerMessageId };
}
