import { type DeliveryConfig, EMAIL_PROVIDERS, type EmailProviderName } from "../../config";
import { DeliveryFailure } from "../types";
import { cloudflare } from "./cloudflare";
import { outbox } from "./outbox";
import { resend } from "./resend";
import { sendgrid } from "./sendgrid";
import type { EmailProvider } from "./types";

export const emailProviders: Record<EmailProviderName, EmailProvider> = { cloudflare, resend, sendgrid, outbox };

/** Cloudflare and the outbox need no key (the binding is checked when sending). */
const apiKeyOf = (config: DeliveryConfig, name: EmailProviderName) =>
  name === "resend" ? config.resend.apiKey : name === "sendgrid" ? config.sendgrid.apiKey : "none needed";

/**
 * The configured provider. In local development a provider without its API key falls back to the
 * outbox (so `npm start` never sends real mail); in production a missing key is a configuration
 * error, reported on the delivery rather than retried.
 */
export function emailProviderFor(config: DeliveryConfig): EmailProvider {
  const name = config.emailProvider;
  if (!EMAIL_PROVIDERS.includes(name)) {
    throw new DeliveryFailure("configuration", `EMAIL_PROVIDER "${config.emailProvider}" is not one of ${EMAIL_PROVIDERS.join(", ")}`);
  }
  if (!apiKeyOf(config, name)) {
    if (config.localDev) return outbox;
    throw new DeliveryFailure("configuration", `EMAIL_PROVIDER is "${name}" but its API key secret is not set`);
  }
  return emailProviders[name];
}
