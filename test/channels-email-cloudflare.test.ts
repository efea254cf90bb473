import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fitsAsAttachment } from "../src/channels/email";
import { emailProviders } from "../src/channels/email-providers";
import { CLOUDFLARE_MAX_MESSAGE_BYTES } from "../src/channels/email-providers/cloudflare";
import { config as appConfig } from "../src/config";
import { emailSuppressions, outboxMessages } from "../src/db/schema";
import { base64Length } from "../src/lib/base64";
import { unique } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake } from "./support/delivery-factories";

/*
 * The cloudflare provider through the local send_email binding that @cloudflare/vitest-plugin's
 * miniflare runs from wrangler.toml: it accepts the same send({from, to, subject, html, text,
 * attachments, headers}) as the Email Service, answers {messageId} and writes the text, the HTML
 * and each attachment to files (read here through the fake services). It never refuses with the
 * Email Service's error codes, so those are played by a binding object standing in for EMAIL.
 */
const cloudflare = { EMAIL_PROVIDER: "cloudflare" };
const to = () => `${unique("cf")}@example.com`;
const MB = 1024 * 1024;

/** The largest file the provider attaches: base64 plus the 256 KiB allowance must stay under 5 MiB. */
const LARGEST_ATTACHED = 3 * Math.floor((CLOUDFLARE_MAX_MESSAGE_BYTES - 256 * 1024 - 1) / 4);

function codedBinding(code: string, message = "refused"): SendEmail {
  return {
    send: async () => {
      throw Object.assign(new Error(message), { code });
    },
  } as SendEmail;
}

describe("email through Cloudflare Email Service (the send_email binding)", () => {
  it("is the default provider", () => {
    const { EMAIL_PROVIDER: _, ...withoutProvider } = env;
    expect(appConfig({ ...withoutProvider, EMAIL_PROVIDER: "" } as Env).delivery.emailProvider).toBe("cloudflare");
  });

  it("sends the report with the file attached through the local binding; records the messageId and keeps it in the outbox", async () => {
    const address = to();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: address }] });
    const [id] = f.deliveryIds as [string];
    expect(await consumeDeliveries([f.job(id)], { env: cloudflare })).toMatchObject({ acked: 1, retried: 0 });

    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, failureClass: null });
    expect(row.providerMessageId).toMatch(/^<.+@example\.com>$/);
    // Nothing went to the HTTP providers.
    expect(await fake.requests(address)).toHaveLength(0);

    const files = await fake.localEmail(row.providerMessageId!, 3);
    const text = files.find((x) => x.kind === "email-text");
    const html = files.find((x) => x.kind === "email-html");
    const attachment = files.find((x) => x.kind === "email-attachment");
    expect(text?.text).toContain(`Your scheduled report "${f.reportName}" is ready. The file is attached.`);
    expect(html?.text).toContain("<table");
    expect(attachment).toMatchObject({ name: expect.stringMatching(/-1\.csv$/), size: f.file.byteLength });
    expect(attachment?.text).toBe(new TextDecoder().decode(f.file));

    // Under LOCAL_DEV the dashboard's outbox shows it too, with the binding's message id.
    const [kept] = await db().select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, id));
    expect(kept).toMatchObject({
      toAddress: address,
      subject: `Scheduled Report: ${f.reportName}`,
      attachmentName: f.fileName,
      attachmentSize: f.file.byteLength,
    });
  });

  it("passes the delivery id and organization as custom headers", async () => {
    const address = to();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: address }] });
    const [id] = f.deliveryIds as [string];
    const sent: EmailMessageBuilder[] = [];
    const recording = {
      send: async (m: EmailMessageBuilder) => {
        sent.push(m);
        return { messageId: "<rec-1@example.com>" };
      },
    } as SendEmail;
    await consumeDeliveries([f.job(id)], { env: { ...cloudflare, EMAIL: recording } });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      from: { email: "reports@example.com", name: "Scheduled Reports" },
      to: address,
      subject: `Scheduled Report: ${f.reportName}`,
      headers: { "X-Delivery-Id": id, "X-Organization-Id": f.admin.organizationId },
      attachments: [{ filename: f.fileName, type: "text/csv; charset=utf-8", disposition: "attachment" }],
    });
    expect((await deliveryRow(id)).providerMessageId).toBe("<rec-1@example.com>");
  });

  it("sends the creator's notices through the binding too, with the notice key as a header", async () => {
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to() }], allowedEmailDomains: ["example.org"] });
    const sent: EmailMessageBuilder[] = [];
    const recording = {
      send: async (m: EmailMessageBuilder) => {
        sent.push(m);
        return { messageId: `<notice-${sent.length}@example.com>` };
      },
    } as SendEmail;
    await consumeDeliveries([f.job(f.deliveryIds[0]!)], { env: { ...cloudflare, EMAIL: recording } });
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "domain_not_allowed" });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: f.admin.email, subject: `Scheduled Report not delivered: ${f.reportName}` });
    expect(sent[0]!.headers).toMatchObject({ "X-Notice-Key": expect.stringContaining(f.deliveryIds[0]!), "X-Organization-Id": f.admin.organizationId });
    expect(sent[0]!.headers).not.toHaveProperty("X-Delivery-Id");
  });

  it("attaches up to 5 MiB after base64 and sends the signed link past it (through the local binding)", async () => {
    expect(base64Length(LARGEST_ATTACHED) + 256 * 1024).toBeLessThan(5 * MB);
    expect(base64Length(LARGEST_ATTACHED + 1) + 256 * 1024).toBeGreaterThanOrEqual(5 * MB);
    const cfg = { ...appConfig(env).delivery, attachmentLimitBytes: 50 * MB };
    expect(fitsAsAttachment(LARGEST_ATTACHED, cfg, emailProviders.cloudflare)).toBe(true);
    expect(fitsAsAttachment(LARGEST_ATTACHED + 1, cfg, emailProviders.cloudflare)).toBe(false);
    // Resend and SendGrid take far larger messages.
    expect(fitsAsAttachment(LARGEST_ATTACHED + 1, cfg, emailProviders.resend)).toBe(true);

    const small = to();
    const large = to();
    const a = await deliveryFixture({ recipients: [{ type: "email", value: small }], file: new Uint8Array(LARGEST_ATTACHED).fill(66) });
    const b = await deliveryFixture({ recipients: [{ type: "email", value: large }], file: new Uint8Array(LARGEST_ATTACHED + 1).fill(66) });
    await consumeDeliveries([a.job(a.deliveryIds[0]!), b.job(b.deliveryIds[0]!)], { env: cloudflare });

    const attached = await deliveryRow(a.deliveryIds[0]!);
    const linked = await deliveryRow(b.deliveryIds[0]!);
    expect(attached.status).toBe("sent");
    expect(linked.status).toBe("sent");
    const attachedFiles = await fake.localEmail(attached.providerMessageId!, 3);
    expect(attachedFiles.find((x) => x.kind === "email-attachment")?.size).toBe(LARGEST_ATTACHED);
    const linkedFiles = await fake.localEmail(linked.providerMessageId!, 2);
    expect(linkedFiles.map((x) => x.kind).sort()).toEqual(["email-html", "email-text"]);
    expect(linkedFiles.find((x) => x.kind === "email-text")?.text).toMatch(/Download the report: http:\/\/127\.0\.0\.1:8787\/api\/files\//);
  });

  it("retries rate limits and temporary failures, and waits an hour on the daily limit", async () => {
    for (const [code, cls, delay] of [
      ["E_RATE_LIMIT_EXCEEDED", "rate_limited", 60],
      ["E_DAILY_LIMIT_EXCEEDED", "rate_limited", 3600],
      ["E_DELIVERY_FAILED", "server_error", 60],
      ["E_INTERNAL_SERVER_ERROR", "server_error", 60],
    ] as const) {
      const f = await deliveryFixture({ recipients: [{ type: "email", value: to() }] });
      const [id] = f.deliveryIds as [string];
      const result = await consumeDeliveries([f.job(id)], { env: { ...cloudflare, EMAIL: codedBinding(code) } });
      expect(result, code).toMatchObject({ retried: 1, delays: [delay] });
      expect(await deliveryRow(id), code).toMatchObject({ status: "pending", failureClass: cls });
    }
  });

  it("bounces a suppressed recipient (and suppresses it here), fails a refused one, and reports an unverified sender as configuration", async () => {
    const suppressed = to();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: suppressed }] });
    await consumeDeliveries([f.job(f.deliveryIds[0]!)], { env: { ...cloudflare, EMAIL: codedBinding("E_RECIPIENT_SUPPRESSED", "recipient is suppressed") } });
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "bounced", failureClass: "bounced" });
    const rows = await db().select().from(emailSuppressions).where(eq(emailSuppressions.email, suppressed));
    expect(rows).toMatchObject([{ organizationId: f.admin.organizationId, source: "bounce" }]);

    for (const [code, cls] of [
      ["E_RECIPIENT_NOT_ALLOWED", "rejected"],
      ["E_CONTENT_TOO_LARGE", "rejected"],
      ["E_SENDER_NOT_VERIFIED", "configuration"],
    ] as const) {
      const g = await deliveryFixture({ recipients: [{ type: "email", value: to() }] });
      const result = await consumeDeliveries([g.job(g.deliveryIds[0]!)], { env: { ...cloudflare, EMAIL: codedBinding(code) } });
      expect(result, code).toMatchObject({ acked: 1, retried: 0 });
      const row = await deliveryRow(g.deliveryIds[0]!);
      expect(row, code).toMatchObject({ status: "failed", failureClass: cls });
      expect(row.lastError).toContain(code);
    }
  });

  it("fails with a configuration error when the Worker has no EMAIL binding", async () => {
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to() }] });
    await consumeDeliveries([f.job(f.deliveryIds[0]!)], { env: { ...cloudflare, EMAIL: undefined } as unknown as Partial<Env> });
    const row = await deliveryRow(f.deliveryIds[0]!);
    expect(row).toMatchObject({ status: "failed", failureClass: "configuration" });
    expect(row.lastError).toContain("[[send_email]]");
  });
});
