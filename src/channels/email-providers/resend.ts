import { z } from "zod";
import { toBase64 } from "../../lib/base64";
import { failureOf, postWithDeadline } from "../http";
import { DeliveryFailure } from "../types";
import { verifySignature } from "../webhook-signature";
import { type EmailProvider, formatAddress } from "./types";

const PROVIDER_TIMEOUT_MS = 30_000;
/** Resend accepts tag names and values of ASCII letters, digits, underscores and dashes. */
const tagValue = (v: string) => v.replace(/[^A-Za-z0-9_-]/g, "_").slice(0, 256);

const ResendEvent = z.object({
  type: z.string(),
  data: z
    .object({
      email_id: z.string().optional(),
      to: z.union([z.array(z.string()), z.string()]).optional(),
      bounce: z.object({ type: z.string().optional(), subType: z.string().optional(), message: z.string().optional() }).partial().optional(),
      tags: z.union([z.record(z.string(), z.string()), z.array(z.object({ name: z.string(), value: z.string() }))]).optional(),
    })
    .loose(),
});

function tagsOf(tags: z.infer<typeof ResendEvent>["data"]["tags"]): Record<string, string> {
  if (!tags) return {};
  return Array.isArray(tags) ? Object.fromEntries(tags.map((t) => [t.name, t.value])) : tags;
}

/** https://resend.com/docs/api-reference/emails/send-email; Idempotency-Key keeps a retried send single. */
export const resend: EmailProvider = {
  name: "resend",
  maxMessageBytes: 40 * 1024 * 1024,

  async send(_env, config, message) {
    const body = JSON.stringify({
      from: formatAddress(message.from),
      to: [message.to],
      subject: message.subject,
      html: message.html,
      text: message.text,
      ...(message.attachment
        ? {
            attachments: [
              { filename: message.attachment.filename, content: toBase64(message.attachment.content), content_type: message.attachment.contentType },
            ],
          }
        : {}),
      tags: Object.entries(message.tags).map(([name, value]) => ({ name, value: tagValue(value) })),
    });
    const res = await postWithDeadline(
      `${config.resend.url.replace(/\/+$/, "")}/emails`,
      {
        headers: {
          authorization: `Bearer ${config.resend.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": message.idempotencyKey.slice(0, 256),
        },
        body,
        timeoutMs: PROVIDER_TIMEOUT_MS,
      },
      "Resend",
    );
    if (res.status === 409) {
      // Another request with this key is still being processed: try again later (it will answer with its result).
      const text = await res.text();
      if (text.includes("concurrent")) throw new DeliveryFailure("server_error", `Resend answered 409: ${text.slice(0, 300)}`, { httpStatus: 409 });
      throw new DeliveryFailure("rejected", `Resend answered 409: ${text.slice(0, 300)}`, { httpStatus: 409 });
    }
    const failure = await failureOf(res, "Resend", new Date());
    if (failure) throw failure;
    const { id } = (await res.json()) as { id?: string };
    return { providerMessageId: id ?? null };
  },

  /** Resend signs its webhooks the Standard Webhooks way, with svix-* header names. */
  async readBounceWebhook(config, request, now) {
    if (!config.resend.webhookSecret) return null;
    const h = request.headers;
    const authentic = await verifySignature(
      config.resend.webhookSecret,
      {
        id: h.get("svix-id") ?? h.get("webhook-id"),
        timestamp: h.get("svix-timestamp") ?? h.get("webhook-timestamp"),
        signature: h.get("svix-signature") ?? h.get("webhook-signature"),
      },
      request.body,
      now,
    );
    if (!authentic) return null;
    const parsed = ResendEvent.safeParse(JSON.parse(request.body));
    if (!parsed.success) return [];
    const { type, data } = parsed.data;
    // A transient (soft) bounce may still be delivered later: only permanent ones suppress.
    const permanentBounce = type === "email.bounced" && (data.bounce?.type ?? "Permanent").toLowerCase() !== "transient";
    if (!permanentBounce && type !== "email.complained") return [];
    const tags = tagsOf(data.tags);
    const recipients = Array.isArray(data.to) ? data.to : data.to ? [data.to] : [];
    return recipients.map((email) => ({
      email,
      kind: type === "email.complained" ? "complaint" : "bounce",
      reason:
        type === "email.complained"
          ? "The recipient marked the email as spam"
          : `Bounced: ${data.bounce?.message ?? data.bounce?.subType ?? "permanent bounce"}`,
      providerMessageId: data.email_id,
      deliveryId: tags.delivery_id,
      organizationId: tags.organization_id,
    }));
  },
};
