import type { DeliveryConfig, EmailProviderName } from "../../config";
import { headerText } from "../../lib/header-text";

export type EmailAttachment = { filename: string; contentType: string; content: Uint8Array };

/** One email, provider-neutral. */
export type EmailMessage = {
  /** The delivery id or the notice key: a provider that supports idempotency sends it once. */
  idempotencyKey: string;
  organizationId: string;
  from: { email: string; name: string };
  to: string;
  subject: string;
  text: string;
  html: string;
  attachment?: EmailAttachment;
  /** Echoed back by the provider's event webhook, so a bounce finds its delivery. */
  tags: Record<string, string>;
};

/** What a provider's bounce webhook told us, once its signature checked out. */
export type BounceEvent = {
  email: string;
  kind: "bounce" | "complaint";
  reason: string;
  providerMessageId?: string;
  deliveryId?: string;
  organizationId?: string;
};

export type WebhookRequest = { headers: Headers; body: string };

export interface EmailProvider {
  name: EmailProviderName;
  /** The provider's limit for a whole message, attachments base64-encoded. */
  maxMessageBytes: number;
  send(env: Env, config: DeliveryConfig, message: EmailMessage): Promise<{ providerMessageId: string | null }>;
  /** Null when the request is not authentic (bad or missing signature, or no secret configured). */
  readBounceWebhook?(config: DeliveryConfig, request: WebhookRequest, now: Date): Promise<BounceEvent[] | null>;
}

export const formatAddress = (a: { email: string; name: string }) => {
  const name = headerText(a.name).replace(/["\\]/g, "");
  return name ? `"${name}" <${a.email}>` : a.email;
};
