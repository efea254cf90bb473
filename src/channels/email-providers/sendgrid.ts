import { z } from "zod";
import { fromBase64, toBase64 } from "../../lib/base64";
import { failureOf, postWithDeadline } from "../http";
import type { BounceEvent, EmailProvider } from "./types";

const PROVIDER_TIMEOUT_MS = 30_000;

const SendGridEvent = z
  .object({
    email: z.string(),
    event: z.string(),
    type: z.string().optional(),
    reason: z.string().optional(),
    sg_message_id: z.string().optional(),
    delivery_id: z.string().optional(),
    organization_id: z.string().optional(),
  })
  .loose();

/** SendGrid signs with ECDSA P-256 and sends the signature DER-encoded; WebCrypto wants r||s. */
function derToRaw(der: Uint8Array): Uint8Array | null {
  if (der[0] !== 0x30) return null;
  let i = 2 + (der[1]! & 0x80 ? der[1]! & 0x7f : 0);
  const out = new Uint8Array(64);
  for (const offset of [0, 32]) {
    if (der[i] !== 0x02) return null;
    const len = der[i + 1]!;
    let int = der.subarray(i + 2, i + 2 + len);
    while (int.length > 32 && int[0] === 0) int = int.subarray(1);
    if (int.length > 32) return null;
    out.set(int, offset + 32 - int.length);
    i += 2 + len;
  }
  return out;
}

async function verifyEcdsa(publicKeyBase64: string, signatureBase64: string, payload: string): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey("spki", fromBase64(publicKeyBase64), { name: "ECDSA", namedCurve: "P-256" }, false, ["verify"]);
    const raw = derToRaw(fromBase64(signatureBase64));
    return !!raw && (await crypto.subtle.verify({ name: "ECDSA", hash: "SHA-256" }, key, raw, new TextEncoder().encode(payload)));
  } catch {
    return false;
  }
}

/**
 * https://www.twilio.com/docs/sendgrid/api-reference/mail-send/mail-send. SendGrid has no
 * idempotency key: the claim guard keeps concurrent sends single, but a send that timed out after
 * SendGrid accepted it can arrive twice when retried.
 */
export const sendgrid: EmailProvider = {
  name: "sendgrid",
  maxMessageBytes: 30 * 1024 * 1024,

  async send(_env, config, message) {
    const body = JSON.stringify({
      personalizations: [{ to: [{ email: message.to }], custom_args: message.tags }],
      from: { email: message.from.email, name: message.from.name },
      subject: message.subject,
      content: [
        { type: "text/plain", value: message.text },
        { type: "text/html", value: message.html },
      ],
      ...(message.attachment
        ? {
            attachments: [
              {
                content: toBase64(message.attachment.content),
                filename: message.attachment.filename,
                type: message.attachment.contentType,
                disposition: "attachment",
              },
            ],
          }
        : {}),
    });
    const res = await postWithDeadline(
      `${config.sendgrid.url.replace(/\/+$/, "")}/v3/mail/send`,
      { headers: { authorization: `Bearer ${config.sendgrid.apiKey}`, "content-type": "application/json" }, body, timeoutMs: PROVIDER_TIMEOUT_MS },
      "SendGrid",
    );
    const failure = await failureOf(res, "SendGrid", new Date());
    if (failure) throw failure;
    await res.body?.cancel();
    return { providerMessageId: res.headers.get("x-message-id") };
  },

  /** The Signed Event Webhook: ECDSA over timestamp + raw body. */
  async readBounceWebhook(config, request, now) {
    const signature = request.headers.get("x-twilio-email-event-webhook-signature");
    const timestamp = request.headers.get("x-twilio-email-event-webhook-timestamp");
    if (!config.sendgrid.webhookPublicKey || !signature || !timestamp || !/^\d+$/.test(timestamp)) return null;
    if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > 600) return null;
    if (!(await verifyEcdsa(config.sendgrid.webhookPublicKey, signature, timestamp + request.body))) return null;
    const events = z.array(z.unknown()).safeParse(JSON.parse(request.body));
    if (!events.success) return [];
    const out: BounceEvent[] = [];
    for (const raw of events.data) {
      const e = SendGridEvent.safeParse(raw);
      if (!e.success) continue;
      const { email, event, type, reason } = e.data;
      // "bounce" of type "blocked" is a soft bounce; "dropped" means SendGrid refused to send.
      const hard = (event === "bounce" && type !== "blocked") || event === "dropped";
      if (!hard && event !== "spamreport") continue;
      out.push({
        email,
        kind: event === "spamreport" ? "complaint" : "bounce",
        reason: event === "spamreport" ? "The recipient marked the email as spam" : `Bounced: ${reason ?? event}`,
        // sg_message_id is the X-Message-Id of the send plus ".filter…".
        providerMessageId: e.data.sg_message_id?.split(".")[0],
        deliveryId: e.data.delivery_id,
        organizationId: e.data.organization_id,
      });
    }
    return out;
  },
};
