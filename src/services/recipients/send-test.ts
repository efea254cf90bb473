import { and, asc, eq, isNotNull } from "drizzle-orm";
import { sendThrough } from "../../channels";
import type { ChannelMessage } from "../../channels/types";
import { config } from "../../config";
import { type Recipient, users } from "../../db/schema";
import { auditInsert } from "../../domain/audit";
import { requireRole } from "../../domain/policy";
import { quotasOf, refuseOverQuota } from "../../domain/quotas";
import { enforceRateLimit } from "../../domain/rate-limit";
import { maskRecipientValue } from "../../domain/recipients";
import { refusalOf } from "../../domain/refusals";
import { slackAppOf } from "../../domain/slack-connection";
import { claimTestSend, TEST_SENDS_PER_ADDRESS_PER_HOUR } from "../../domain/test-sends";
import { claimEmail, returnEmail } from "../../domain/usage";
import { signingSecrets } from "../../domain/webhook-secrets";
import { DomainError, ForbiddenError, RateLimitedError } from "../../errors";
import { testFileKey } from "../../storage/keys";
import { issuedToOf, issueTestFileLink } from "../../storage/links";
import type { ServiceContext } from "../context";
import { loadOrganization, normalizeRecipients } from "../scheduled-reports/normalize";

const SAMPLE = new TextEncoder().encode("message,sent_by\r\nThis is a test of your report delivery,Scheduled Reports\r\n");
const SAMPLE_NAME = "test-message.csv";
const SAMPLE_PARAMETERS = { sample: true };

/**
 * The wizard's "send a test": one message through the recipient's real channel (same checks,
 * same signing), with a two-line sample file, answered at once. The sample is stored in R2, so the
 * link in the message downloads it for 24 hours (retention deletes it later). Nothing is recorded as
 * a delivery. What stops it being a way to spam an address: at most TEST_SENDS_PER_ADDRESS_PER_HOUR
 * to one address (from any organization), a test email counts against the organization's emails a
 * day, and on open sign-up an organization whose signer has not confirmed their address may test
 * only its own confirmed members' addresses.
 */
export async function sendTestMessage({ ctx, input }: { ctx: ServiceContext; input: Recipient }) {
  requireRole(ctx.auth, "editor");
  const org = await loadOrganization(ctx);
  const [recipient] = await normalizeRecipients(ctx, org, [input], () => "value");
  if (recipient!.type === "email") await requireTestableAddress(ctx, recipient!.value);
  await enforceRateLimit(ctx.env.RUN_LIMITER, [`org:${ctx.auth.organizationId}`], "test messages for your organization");
  const refusal = await refusalOf(ctx.db, org, recipient!);
  if (!refusal) {
    const claim = await claimTestSend(ctx.env.DB, recipient!, org.id, ctx.now);
    if (!claim.ok) {
      throw new RateLimitedError(`test messages to this address (at most ${TEST_SENDS_PER_ADDRESS_PER_HOUR} an hour)`, claim.retryAfterSeconds);
    }
  }
  const counted = !refusal && recipient!.type === "email";
  if (counted) {
    const { quotas } = await quotasOf(ctx.db, ctx.env, org.id);
    if (!(await claimEmail(ctx.env.DB, org.id, quotas.emailsPerDay, ctx.now))) {
      await refuseOverQuota(ctx, "emailsPerDay", quotas.emailsPerDay, "The organization's emails for today (UTC) are used up; test emails count too", "value");
    }
  }
  const id = `test-${crypto.randomUUID()}`;
  if (!refusal) await ctx.env.REPORTS.put(testFileKey(org.id, id, SAMPLE_NAME), SAMPLE, { httpMetadata: { contentType: "text/csv; charset=utf-8" } });
  const message: ChannelMessage = {
    id,
    recipient: recipient!.value,
    organization: org,
    report: { id, name: "Test message" },
    run: { scheduledFor: ctx.now, parameters: SAMPLE_PARAMETERS },
    file: {
      executionId: id,
      format: "csv",
      fileName: SAMPLE_NAME,
      size: SAMPLE.byteLength,
      rowCount: 1,
      generatedAt: ctx.now,
      note: null,
      link: await issueTestFileLink(ctx.env, { executionId: id, organizationId: org.id, issuedTo: issuedToOf(ctx.auth) }, ctx.now),
      read: async () => ({ content: SAMPLE, contentType: "text/csv; charset=utf-8" }),
      exists: async () => true,
    },
    signingSecrets: () => signingSecrets(ctx.db, config(ctx.env).rootSecrets, org.id, ctx.now),
    slackApp: () => slackAppOf(ctx.db, config(ctx.env).rootSecrets, org.id),
  };
  const outcome = refusal
    ? ({ ok: false, failure: refusal } as const)
    : await sendThrough(recipient!.type, message, { env: ctx.env, config: config(ctx.env).delivery, now: ctx.now });
  // An email that did not go does not count against the day.
  if (counted && !outcome.ok) await returnEmail(ctx.env.DB, org.id, ctx.now);
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

/**
 * On open sign-up, anyone can make an organization: until the address its signer (its first user)
 * signed up with is confirmed, its test emails go only to addresses of its own members that were
 * confirmed (by a sign-up confirmation, an accepted invitation or a used password-reset link).
 */
async function requireTestableAddress(ctx: ServiceContext, address: string) {
  if (config(ctx.env).signup !== "open") return;
  const [signer] = await ctx.db
    .select({ verifiedAt: users.emailVerifiedAt })
    .from(users)
    .where(eq(users.organizationId, ctx.auth.organizationId))
    .orderBy(asc(users.createdAt), asc(users.id))
    .limit(1);
  if (signer?.verifiedAt) return;
  const [member] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.organizationId, ctx.auth.organizationId), eq(users.email, address.toLowerCase()), isNotNull(users.emailVerifiedAt)))
    .limit(1);
  if (member) return;
  throw new ForbiddenError(
    "Until the address this organization signed up with is confirmed, test emails go only to confirmed addresses of its members: confirm it with the link we sent (or a password reset)",
  );
}
