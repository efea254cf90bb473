import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import type { Channel, ChannelMessage } from "./types";
import { signWithAll } from "./webhook-signature";

/** The `report.generated` payload of api.md (snake_case, as webhook consumers see it). */
export function webhookPayload(message: ChannelMessage) {
  return {
    event: "report.generated",
    report_id: message.report.id,
    report_name: message.report.name,
    execution_id: message.file.executionId,
    file_url: message.file.link.url,
    format: message.file.format,
    generated_at: message.file.generatedAt.toISOString(),
    file_size: message.file.size,
    row_count: message.file.rowCount,
    scheduled_for: message.run.scheduledFor.toISOString(),
    parameters: message.run.parameters,
  };
}

/**
 * Standard Webhooks: `webhook-id` is the delivery id (the same on every retry, for the receiver's
 * de-duplication), `webhook-timestamp` the wall clock of this attempt, `webhook-signature` one
 * signature per valid secret (two during a rotation's grace period).
 */
export const webhookChannel: Channel = {
  async send(message, { config, now }) {
    const url = await checkSendUrl(config, message.recipient, "webhook");
    const body = JSON.stringify(webhookPayload(message));
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = await message.signingSecrets();
    const res = await postWithDeadline(
      url.toString(),
      {
        headers: {
          "content-type": "application/json",
          "user-agent": "ScheduledReports-Webhooks/1.0",
          "webhook-id": message.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signWithAll(secrets, message.id, timestamp, body),
        },
        body,
        timeoutMs: config.webhookTimeoutMs,
      },
      "The webhook endpoint",
    );
    const failure = await failureOf(res, "The webhook endpoint", now);
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: null, detail: `HTTP ${res.status}` };
  },
};
