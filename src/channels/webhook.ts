import { findDisabledEndpoint } from "../services/deliveries/endpoints";
import { signingSecrets } from "../services/webhook-secrets/ensure";
import { deliveryConfig } from "./config";
import { failureOf, postWithDeadline } from "./http";
import { checkSendUrl } from "./outbound-url";
import { type Channel, DeliveryFailure, type DeliveryInput } from "./types";
import { signWithAll } from "./webhook-signature";

/** The `report.generated` payload of api.md (snake_case, as webhook consumers see it). */
export function webhookPayload(input: DeliveryInput) {
  return {
    event: "report.generated",
    report_id: input.report.id,
    report_name: input.report.name,
    execution_id: input.execution.id,
    file_url: input.link.url,
    format: input.execution.format,
    generated_at: (input.execution.completedAt ?? input.execution.createdAt).toISOString(),
    file_size: input.execution.fileSize,
  };
}

/**
 * Standard Webhooks: `webhook-id` is the delivery id (the same on every retry, for the receiver's
 * de-duplication), `webhook-timestamp` the wall clock of this attempt, `webhook-signature` one
 * signature per valid secret (two during a rotation's grace period).
 */
export const webhookChannel: Channel = {
  async send(input) {
    const config = deliveryConfig(input.env);
    const target = input.delivery.recipientValue;
    const disabled = await findDisabledEndpoint(input.db, input.organization.id, target);
    if (disabled) {
      throw new DeliveryFailure("endpoint_disabled", `This URL answered 410 Gone on ${disabled.createdAt.toISOString()}; no more deliveries go to it`);
    }
    const url = await checkSendUrl(config, target, "webhook");
    const body = JSON.stringify(webhookPayload(input));
    const timestamp = Math.floor(Date.now() / 1000);
    const secrets = await signingSecrets(input.db, input.organization.id, input.now);
    const res = await postWithDeadline(
      url.toString(),
      {
        headers: {
          "content-type": "application/json",
          "user-agent": "ScheduledReports-Webhooks/1.0",
          "webhook-id": input.delivery.id,
          "webhook-timestamp": String(timestamp),
          "webhook-signature": await signWithAll(secrets, input.delivery.id, timestamp, body),
        },
        body,
        timeoutMs: config.webhookTimeoutMs,
      },
      "The webhook endpoint",
    );
    const failure = await failureOf(res, "The webhook endpoint", input.now);
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: null, detail: `HTTP ${res.status}` };
  },
};
