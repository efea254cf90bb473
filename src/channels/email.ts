import { config, type DeliveryConfig } from "../config";
import { base64Length } from "../lib/base64";
import { headerText } from "../lib/header-text";
import { emailProviderFor } from "./email-providers";
import type { EmailAttachment, EmailMessage, EmailProvider } from "./email-providers/types";
import { reportEmail } from "./email-templates";
import { type Channel, type ChannelMessage, DeliveryFailure } from "./types";

/** Room left for the bodies, headers and MIME framing when deciding whether a file fits a provider's limit. */
const MESSAGE_OVERHEAD_BYTES = 256 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

/** The From of the organization's mail: its sender name, without control characters, or the configured one. */
export const senderOf = (config: DeliveryConfig, org: { emailSenderName: string | null } | null) => ({
  email: config.emailFrom,
  name: headerText(org?.emailSenderName ?? "") || config.emailFromName,
});

/** Sends any email through the configured provider (report deliveries and creator notices alike). */
export async function sendEmail(env: Env, message: EmailMessage) {
  const delivery = config(env).delivery;
  const provider = emailProviderFor(delivery);
  const result = await provider.send(env, delivery, message);
  return { ...result, provider: provider.name };
}

/** Attached when smaller than our limit and, base64-encoded with room for the rest, still under the provider's. */
export function fitsAsAttachment(size: number, config: DeliveryConfig, provider: EmailProvider): boolean {
  return size < config.attachmentLimitBytes && base64Length(size) + MESSAGE_OVERHEAD_BYTES < provider.maxMessageBytes;
}

async function readAttachment(message: ChannelMessage): Promise<EmailAttachment> {
  const object = await message.file.read();
  if (!object) throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
  return {
    filename: message.file.fileName,
    contentType: object.contentType ?? CONTENT_TYPES[message.file.format] ?? "application/octet-stream",
    content: object.content,
  };
}

export const emailChannel: Channel = {
  async send(message, { env, config }) {
    const to = message.recipient.toLowerCase();
    const provider = emailProviderFor(config);
    const size = message.file.size ?? Number.POSITIVE_INFINITY;
    const attachment = fitsAsAttachment(size, config, provider) ? await readAttachment(message) : undefined;
    if (!attachment && !(await message.file.exists())) {
      throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
    }
    const content = reportEmail({
      reportName: message.report.name,
      format: message.file.format,
      generatedAt: message.file.generatedAt,
      rowCount: message.file.rowCount,
      fileSize: message.file.size,
      fileName: message.file.fileName,
      note: message.file.note,
      attached: !!attachment,
      link: message.file.link,
    });
    const result = await provider.send(env, config, {
      idempotencyKey: message.id,
      organizationId: message.organization.id,
      from: senderOf(config, message.organization),
      to,
      ...content,
      attachment,
      tags: { delivery_id: message.id, organization_id: message.organization.id },
    });
    return { providerMessageId: result.providerMessageId, detail: `${provider.name}${attachment ? ", attached" : ", link"}` };
  },
};
