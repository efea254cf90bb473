import { type DeliveryConfig, EMAIL_PROVIDERS, type EmailProviderName } from "../../config";
import { headerText } from "../../lib/header-text";
import { DeliveryFailure } from "../types";
import { cloudflare } from "./cloudflare";
import { outbox } from "./outbox";
import { resend } from "./resend";
import { sendgrid } from "./sendgrid";
import type { EmailMessage, EmailProvider } from "./types";

/** The headers a provider builds from the message, without control characters (a CR/LF could add a header of its own, #23). */
const headerSafe = (m: EmailMessage): EmailMessage => ({ ...m, subject: headerText(m.subject), from: { email: m.from.email, name: headerText(m.from.name) } });

/** Every provider strips control characters from the Subject and the From name before it builds them. */
const guarded = (provider: EmailProvider): EmailProvider => ({ ...provider, send: (env, config, message) => provider.send(env, config, headerSafe(message)) });

export const emailProviders: Record<EmailProviderName, EmailProvider> = {
  cloudflare: guarded(cloudflare),
  resend: guarded(resend),
  sendgrid: guarded(sendgrid),
  outbox: guarded(outbox),
};

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
    if (config.localDev) return emailProviders.outbox;
    throw new DeliveryFailure("configuration", `EMAIL_PROVIDER is "${name}" but its API key secret is not set`);
  }
  return emailProviders[name];
}
