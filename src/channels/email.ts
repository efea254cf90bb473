import { findSuppression } from "../services/deliveries/suppressions";
import { type DeliveryConfig, deliveryConfig } from "./config";
import { emailProviderFor } from "./email-providers";
import type { EmailAttachment, EmailMessage, EmailProvider } from "./email-providers/types";
import { reportEmail } from "./email-templates";
import { base64Length } from "./format";
import { type Channel, DeliveryFailure, type DeliveryInput, type Organization } from "./types";

/** Room left for the bodies, headers and MIME framing when deciding whether a file fits a provider's limit. */
const MESSAGE_OVERHEAD_BYTES = 256 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  pdf: "application/pdf",
};

export const senderOf = (config: DeliveryConfig, org: Pick<Organization, "emailSenderName"> | null) => ({
  email: config.emailFrom,
  name: org?.emailSenderName || config.emailFromName,
});

/** Sends any email through the configured provider (report deliveries and creator notices alike). */
export async function sendEmail(env: Env, message: EmailMessage) {
  const config = deliveryConfig(env);
  const provider = emailProviderFor(config);
  const result = await provider.send(env, config, message);
  return { ...result, provider: provider.name };
}

/** Attached when smaller than our limit and, base64-encoded, still inside the provider's. */
export function fitsAsAttachment(size: number, config: DeliveryConfig, provider: EmailProvider): boolean {
  return size < config.attachmentLimitBytes && base64Length(size) + MESSAGE_OVERHEAD_BYTES <= provider.maxMessageBytes;
}

async function readAttachment(input: DeliveryInput): Promise<EmailAttachment> {
  const object = await input.env.REPORTS.get(input.execution.fileKey);
  if (!object) throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
  return {
    filename: input.execution.fileName ?? "report",
    contentType: object.httpMetadata?.contentType ?? CONTENT_TYPES[input.execution.format] ?? "application/octet-stream",
    content: new Uint8Array(await object.arrayBuffer()),
  };
}

/** The organization's allowed domains are checked again at send time: they may have changed since the report was saved. */
function requireAllowedDomain(org: Organization, email: string) {
  const allowed = org.allowedEmailDomains.map((d) => d.toLowerCase());
  const domain = email.split("@").pop() ?? "";
  if (allowed.length && !allowed.includes(domain)) {
    throw new DeliveryFailure("domain_not_allowed", `${domain} is not one of the organization's allowed email domains (${allowed.join(", ")}); nothing was sent`);
  }
}

export const emailChannel: Channel = {
  async send(input) {
    const config = deliveryConfig(input.env);
    const to = input.delivery.recipientValue.toLowerCase();
    requireAllowedDomain(input.organization, to);
    const suppressed = await findSuppression(input.db, input.organization.id, to);
    if (suppressed) {
      throw new DeliveryFailure("suppressed", `${to} is suppressed since ${suppressed.createdAt.toISOString()} (${suppressed.reason}); nothing was sent`);
    }
    const provider = emailProviderFor(config);
    const size = input.execution.fileSize ?? Number.POSITIVE_INFINITY;
    const attachment = fitsAsAttachment(size, config, provider) ? await readAttachment(input) : undefined;
    if (!attachment && !(await input.env.REPORTS.head(input.execution.fileKey))) {
      throw new DeliveryFailure("file_gone", "The report file is no longer kept (retention); nothing was sent");
    }
    const content = reportEmail({
      reportName: input.report.name,
      format: input.execution.format,
      generatedAt: input.execution.completedAt ?? input.execution.createdAt,
      rowCount: input.execution.rowCount,
      fileSize: input.execution.fileSize,
      fileName: input.execution.fileName ?? "report",
      note: input.execution.errorMessage,
      attached: !!attachment,
      link: input.link,
    });
    const result = await provider.send(input.env, config, {
      idempotencyKey: input.delivery.id,
      organizationId: input.organization.id,
      from: senderOf(config, input.organization),
      to,
      ...content,
      attachment,
      tags: { delivery_id: input.delivery.id, organization_id: input.organization.id },
    });
    return { providerMessageId: result.providerMessageId, detail: `${provider.name}${attachment ? ", attached" : ", link"}` };
  },
};
