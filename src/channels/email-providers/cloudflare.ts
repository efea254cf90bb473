import { DeliveryFailure } from "../types";
import { storeOutboxMessage } from "./outbox-store";
import type { EmailMessage, EmailProvider } from "./types";

/*
 * Cloudflare Email Service through the `send_email` binding EMAIL (wrangler.toml). The binding
 * takes the message as fields and does the MIME itself; it has no idempotency key, so a send whose
 * answer was lost can arrive twice when retried (like SendGrid). The delivery id travels as the
 * X-Delivery-Id header (and the organization as X-Organization-Id), so a message found in a
 * mailbox or in the Email Service's logs leads back to its delivery (a notice carries X-Notice-Key).
 */

/** A whole message, attachments base64-encoded, must stay under 5 MiB (25 MiB only to verified addresses, which we cannot know). */
export const CLOUDFLARE_MAX_MESSAGE_BYTES = 5 * 1024 * 1024;

/** What the binding throws: an Error with a string `code` (E_…); the local binding throws plain Errors. */
type BindingError = { code?: unknown; message?: unknown };

/** One mapping from the Email Service's error codes to our failure classes (retry, or final). */
export function failureOfEmailServiceError(err: unknown): DeliveryFailure {
  const e = (typeof err === "object" && err !== null ? err : {}) as BindingError;
  const code = typeof e.code === "string" ? e.code : "";
  const text = typeof e.message === "string" ? e.message : String(err);
  const said = `Cloudflare Email Service refused the message${code ? ` (${code})` : ""}: ${text}`.slice(0, 1000);
  switch (code) {
    case "E_RATE_LIMIT_EXCEEDED":
      return new DeliveryFailure("rate_limited", said);
    case "E_DAILY_LIMIT_EXCEEDED":
      // The account's daily quota: trying again within the hour would only be refused again.
      return new DeliveryFailure("rate_limited", said, { retryAfterSeconds: 3600 });
    case "E_DELIVERY_FAILED":
    case "E_INTERNAL_SERVER_ERROR":
      return new DeliveryFailure("server_error", said);
    case "E_RECIPIENT_SUPPRESSED":
      // The account's suppression list (a hard bounce or a complaint): a bounce, suppressed here too.
      return new DeliveryFailure("bounced", said);
    case "E_SENDER_NOT_VERIFIED":
    case "E_SENDER_DOMAIN_NOT_AVAILABLE":
      return new DeliveryFailure("configuration", `${said}. Onboard the sending domain of EMAIL_FROM in Email Service (README)`.slice(0, 1000));
    case "":
      break;
    default:
      // E_RECIPIENT_NOT_ALLOWED, E_VALIDATION_ERROR, E_FIELD_MISSING, E_CONTENT_TOO_LARGE, E_HEADER_…:
      // the same message would be refused the same way again.
      return new DeliveryFailure("rejected", said);
  }
  // The local binding (wrangler dev, tests) throws without a code when a restricted binding refuses.
  if (/^email to .* not allowed$/.test(text)) return new DeliveryFailure("rejected", said);
  if (/^email from .* not allowed$/.test(text)) return new DeliveryFailure("configuration", said);
  return new DeliveryFailure("internal", said);
}

/** A report delivery carries its delivery id; a notice (failure or alert email) its notice key. */
function headersOf(message: EmailMessage): Record<string, string> {
  const headers: Record<string, string> = message.tags.delivery_id
    ? { "X-Delivery-Id": message.tags.delivery_id }
    : { "X-Notice-Key": (message.tags.notice ?? message.idempotencyKey).replace(/[^\x20-\x7e]/g, "") };
  if (message.tags.organization_id) headers["X-Organization-Id"] = message.tags.organization_id;
  return headers;
}

export const cloudflare: EmailProvider = {
  name: "cloudflare",
  maxMessageBytes: CLOUDFLARE_MAX_MESSAGE_BYTES,

  async send(env, config, message) {
    const binding = (env as Partial<Env>).EMAIL;
    if (!binding) throw new DeliveryFailure("configuration", 'EMAIL_PROVIDER is "cloudflare" but the Worker has no [[send_email]] binding named EMAIL');
    const a = message.attachment;
    let result: EmailSendResult;
    try {
      result = await binding.send({
        from: { email: message.from.email, name: message.from.name },
        to: message.to,
        subject: message.subject,
        html: message.html,
        text: message.text,
        ...(a ? { attachments: [{ content: a.content, filename: a.filename, type: a.contentType, disposition: "attachment" as const }] } : {}),
        headers: headersOf(message),
      });
    } catch (err) {
      throw failureOfEmailServiceError(err);
    }
    // `wrangler dev` only writes the message to .wrangler/tmp/email/: keep it in the outbox as well,
    // so the dashboard shows every message sent locally, whichever provider.
    if (config.localDev) await storeOutboxMessage(env, message, new Date());
    return { providerMessageId: result.messageId };
  },
};
