import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { fitsAsAttachment } from "../src/channels/email";
import { emailProviders } from "../src/channels/email-providers";
import { config as appConfig } from "../src/config";
import { deliveryAttempts, emailSuppressions, notices, organizations, outboxMessages, scheduledReports } from "../src/db/schema";
import { verifyFileLink } from "../src/storage/links";
import { api, newMember, PASSWORD, unique } from "./support/api";
import { callRoutes, consumeDeliveries, db, deliveryFixture, deliveryRoutesApp, deliveryRow, fake, makeDue } from "./support/delivery-factories";
import { reportBody } from "./support/factories";

const email = () => `${unique("ops")}@example.com`;
const fromBase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function linkIn(text: string) {
  const url = /(http:\/\/127\.0\.0\.1:8787\/api\/files\/[A-Za-z0-9_.-]+)/.exec(text)?.[1];
  expect(url).toBeDefined();
  const token = url!.split("/").pop()!;
  return { url: url!, check: await verifyFileLink(env.JWT_SECRET, token, Math.floor(Date.now() / 1000)) };
}

describe("email through Resend", () => {
  it("sends the report with the file attached, an idempotency key and the delivery's tags", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    const result = await consumeDeliveries([f.job(id)]);
    expect(result).toMatchObject({ acked: 1, retried: 0 });

    const [req, ...more] = await fake.requests(to);
    expect(more).toHaveLength(0);
    expect(req).toMatchObject({ method: "POST", path: "/resend/emails" });
    expect(req!.headers.authorization).toBe("Bearer re_test_key");
    expect(req!.headers["idempotency-key"]).toBe(id);
    expect(req!.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req!.body);
    expect(body).toMatchObject({ to: [to], subject: `Scheduled Report: ${f.reportName}`, from: '"Scheduled Reports" <reports@example.com>' });
    expect(body.text).toContain(f.reportName);
    expect(body.text).toContain("Format: CSV");
    expect(body.html).toContain("<table");
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments[0]).toMatchObject({ filename: f.fileName, content_type: "text/csv; charset=utf-8" });
    expect(fromBase64(body.attachments[0].content)).toEqual(f.file);
    expect(body.tags).toEqual(
      expect.arrayContaining([
        { name: "delivery_id", value: id },
        { name: "organization_id", value: f.admin.organizationId },
      ]),
    );

    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null, failureClass: null });
    expect(row.providerMessageId).toMatch(/^re_/);
    expect(row.deliveredAt).toBeInstanceOf(Date);
    const attempts = await db().select().from(deliveryAttempts).where(eq(deliveryAttempts.deliveryId, id));
    expect(attempts).toMatchObject([{ attempt: 1, outcome: "sent", providerMessageId: row.providerMessageId }]);
  });

  it("sends a signed 7-day download link instead when the file is at or over the limit", async () => {
    const to = email();
    const file = new Uint8Array(4096).fill(65);
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }], file });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)], { env: { EMAIL_ATTACHMENT_LIMIT_BYTES: "4096" } });

    const [req] = await fake.requests(to);
    const body = JSON.parse(req!.body);
    expect(body.attachments).toBeUndefined();
    const { url, check } = await linkIn(body.text);
    expect(body.html).toContain(url);
    expect(check).toMatchObject({ ok: true, link: { executionId: f.executionId, organizationId: f.admin.organizationId, issuedTo: `delivery:${id}` } });
    const expiresIn = (check as { link: { expiresAt: number } }).link.expiresAt - Date.now() / 1000;
    expect(expiresIn).toBeGreaterThan(7 * 86400 - 120);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86400);
    const download = await SELF.fetch(url);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(file);
  });

  it("never attaches more than the provider takes once base64-encoded", () => {
    const config = { ...appConfig(env).delivery, attachmentLimitBytes: 50 * 1024 * 1024 };
    const mb = 1024 * 1024;
    expect(fitsAsAttachment(20 * mb, config, emailProviders.sendgrid)).toBe(true);
    // 23 MB grows to about 30.7 MB in base64: over SendGrid's 30 MB, still under Resend's 40 MB.
    expect(fitsAsAttachment(23 * mb, config, emailProviders.sendgrid)).toBe(false);
    expect(fitsAsAttachment(23 * mb, config, emailProviders.resend)).toBe(true);
    expect(fitsAsAttachment(10 * mb - 1, appConfig(env).delivery, emailProviders.resend)).toBe(true);
    expect(fitsAsAttachment(10 * mb, appConfig(env).delivery, emailProviders.resend)).toBe(false);
  });
});

describe("email through SendGrid", () => {
  it("sends personalizations, both bodies, the attachment and custom args; keeps X-Message-Id", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)], { env: { EMAIL_PROVIDER: "sendgrid" } });

    const [req, ...more] = await fake.requests(to);
    expect(more).toHaveLength(0);
    expect(req).toMatchObject({ method: "POST", path: "/sendgrid/v3/mail/send" });
    expect(req!.headers.authorization).toBe("Bearer SG.test-key");
    const body = JSON.parse(req!.body);
    expect(body.personalizations).toEqual([{ to: [{ email: to }], custom_args: { delivery_id: id, organization_id: f.admin.organizationId } }]);
    expect(body.from).toEqual({ email: "reports@example.com", name: "Scheduled Reports" });
    expect(body.subject).toBe(`Scheduled Report: ${f.reportName}`);
    expect(body.content.map((c: { type: string }) => c.type)).toEqual(["text/plain", "text/html"]);
    expect(body.attachments[0]).toMatchObject({ filename: f.fileName, disposition: "attachment" });
    expect(fromBase64(body.attachments[0].content)).toEqual(f.file);
    const row = await deliveryRow(id);
    expect(row.status).toBe("sent");
    expect(row.providerMessageId).toMatch(/^sg/);
  });

  it("treats a 5xx as retryable and a 400 as final", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await fake.script(to, [{ status: 503 }, { status: 400, body: '{"errors":[{"message":"Invalid from"}]}' }]);
    const first = await consumeDeliveries([f.job(id)], { env: { EMAIL_PROVIDER: "sendgrid" } });
    expect(first).toMatchObject({ retried: 1, delays: [60] });
    expect(await deliveryRow(id)).toMatchObject({ status: "pending", attempts: 1, failureClass: "server_error" });
    await makeDue(id);
    const second = await consumeDeliveries([f.job(id)], { env: { EMAIL_PROVIDER: "sendgrid" }, attempts: 2 });
    expect(second).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(id)).toMatchObject({ status: "failed", attempts: 2, failureClass: "rejected" });
    expect((await deliveryRow(id)).lastError).toContain("Invalid from");
  });
});

describe("the local outbox", () => {
  it("keeps the message and its attachment once, readable through /api/outbox", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    const outboxEnv = { EMAIL_PROVIDER: "outbox" };
    await consumeDeliveries([f.job(id)], { env: outboxEnv });
    expect(await fake.requests(to)).toHaveLength(0);
    const row = await deliveryRow(id);
    expect(row.status).toBe("sent");
    expect(row.providerMessageId).toMatch(/^outbox:/);

    const list = await callRoutes(`/api/outbox?to=${encodeURIComponent(to)}`, { token: f.admin.token });
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    const item = list.body.items[0];
    expect(item).toMatchObject({ to, subject: `Scheduled Report: ${f.reportName}`, attachment: { name: f.fileName, size: f.file.byteLength } });
    const one = await callRoutes(`/api/outbox/${item.id}`, { token: f.admin.token });
    expect(one.body.text).toContain(f.reportName);
    const attachment = await deliveryRoutesApp().request(
      `http://x/api/outbox/${item.id}/attachment`,
      { headers: { authorization: `Bearer ${f.admin.token}` } },
      env,
    );
    expect(attachment.status).toBe(200);
    expect(new Uint8Array(await attachment.arrayBuffer())).toEqual(f.file);

    // Stored once, however often it is asked to be.
    const stored = await db().select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, id));
    expect(stored).toHaveLength(1);
    expect(`outbox:${stored[0]!.id}`).toBe(row.providerMessageId);
  });

  it("is used under local development when the provider has no API key, and refused in production", async () => {
    const to = email();
    const f = await deliveryFixture({
      recipients: [
        { type: "email", value: to },
        { type: "email", value: `b-${to}` },
      ],
    });
    const [a, b] = f.deliveryIds as [string, string];
    await consumeDeliveries([f.job(a)], { env: { RESEND_API_KEY: "" } as Partial<Env> });
    expect((await deliveryRow(a)).providerMessageId).toMatch(/^outbox:/);
    const prod = await consumeDeliveries([f.job(b)], { env: { EMAIL_PROVIDER: "outbox", LOCAL_DEV: "false", APP_URL: "https://reports.example.com" } });
    expect(prod).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(b)).toMatchObject({ status: "failed", failureClass: "configuration" });
    expect(await fake.requests(to)).toHaveLength(0);
  });

  it("is read by admins only: it holds every member's mail, password-reset links among them (#23)", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    await consumeDeliveries([f.job(f.deliveryIds[0]!)], { env: { EMAIL_PROVIDER: "outbox" } });
    const [kept] = await db().select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, f.deliveryIds[0]!));
    for (const role of ["viewer", "editor"] as const) {
      const member = await newMember(f.admin, role);
      for (const path of ["/api/outbox", `/api/outbox/${kept!.id}`, `/api/outbox/${kept!.id}/attachment`]) {
        const res = await callRoutes(path, { token: member.token });
        expect({ role, path, status: res.status, code: res.body?.error?.code }).toEqual({ role, path, status: 403, code: "forbidden" });
      }
    }
    expect((await callRoutes(`/api/outbox/${kept!.id}`, { token: f.admin.token })).status).toBe(200);
  });

  it("is not there outside local development, nor for another organization", async () => {
    const f = await deliveryFixture({ recipients: [] });
    expect((await callRoutes("/api/outbox", { token: f.admin.token, env: { LOCAL_DEV: "false", APP_URL: "https://reports.example.com" } })).status).toBe(404);
    expect((await callRoutes("/api/outbox")).status).toBe(401);
    const other = await deliveryFixture({ recipients: [{ type: "email", value: email() }] });
    await consumeDeliveries([other.job(other.deliveryIds[0]!)], { env: { EMAIL_PROVIDER: "outbox" } });
    const [theirs] = await db().select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, other.deliveryIds[0]!));
    expect((await callRoutes(`/api/outbox/${theirs!.id}`, { token: f.admin.token })).status).toBe(404);
  });
});

describe("who may receive email", () => {
  it("re-checks the organization's allowed domains when sending", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }], allowedEmailDomains: ["example.org"] });
    const [id] = f.deliveryIds as [string];
    const result = await consumeDeliveries([f.job(id)]);
    expect(result).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(id)).toMatchObject({ status: "failed", failureClass: "domain_not_allowed" });
    // Only the creator's notice went out, not the report.
    expect(await fake.requests(`"to":["${to}"]`)).toHaveLength(0);
    expect(await fake.requests(f.admin.email)).toHaveLength(1);
  });

  it("does not attempt a suppressed address: the delivery is bounced with the reason, and the creator told once", async () => {
    const to = email();
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await db().insert(emailSuppressions).values({
      id: crypto.randomUUID(),
      organizationId: f.admin.organizationId,
      email: to,
      source: "bounce",
      provider: "resend",
      reason: "Bounced: mailbox does not exist",
      deliveryId: null,
      createdAt: new Date(),
    });
    const result = await consumeDeliveries([f.job(id)]);
    expect(result).toMatchObject({ acked: 1, retried: 0 });
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "bounced", failureClass: "suppressed", attempts: 1 });
    expect(row.lastError).toContain("mailbox does not exist");
    expect(await fake.requests(`"to":["${to}"]`)).toHaveLength(0);

    const notice = await fake.requests(f.admin.email);
    expect(notice).toHaveLength(1);
    const body = JSON.parse(notice[0]!.body);
    expect(body.subject).toBe(`Scheduled Report not delivered: ${f.reportName}`);
    expect(body.text).toContain(to);
    // A redelivered message sends neither the report nor the notice again.
    await consumeDeliveries([f.job(id)], { attempts: 2 });
    expect(await fake.requests(f.admin.email)).toHaveLength(1);
    const rows = await db().select().from(notices).where(eq(notices.deliveryId, id));
    expect(rows).toMatchObject([{ status: "sent", kind: "delivery_failed", recipient: f.admin.email, attempts: 1 }]);
  });
});

describe("names that reach email headers (#23)", () => {
  const injected = "Invoice\r\nBcc: victim@example.net";

  it("are refused with line breaks or other control characters, naming the field, and nothing changes", async () => {
    const f = await deliveryFixture({ recipients: [] });
    const problems: string[] = [];
    const refused = async (what: string, res: { status: number; body: any }, field: string) => {
      const paths = (res.body?.error?.details ?? []).map((d: { path?: string }) => d.path);
      if (res.status !== 400 || res.body?.error?.code !== "validation_failed" || !paths.includes(field))
        problems.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    for (const name of [injected, "Sales\nreport", "Tab\there", "Null\u0000byte", "Line\u2028separator"]) {
      await refused(
        `report ${JSON.stringify(name)}`,
        await api("/api/scheduled-reports", { token: f.admin.token, body: reportBody({ name, recipients: [] }) }),
        "name",
      );
      await refused(
        `rename ${JSON.stringify(name)}`,
        await api(`/api/scheduled-reports/${f.reportId}`, { method: "PATCH", token: f.admin.token, body: { name } }),
        "name",
      );
      await refused(
        `sender ${JSON.stringify(name)}`,
        await api("/api/settings", { method: "PATCH", token: f.admin.token, body: { emailSenderName: name } }),
        "emailSenderName",
      );
      await refused(
        `member ${JSON.stringify(name)}`,
        await api("/api/users", { token: f.admin.token, body: { email: email(), name, role: "viewer", password: PASSWORD } }),
        "name",
      );
    }
    expect(problems).toEqual([]);
    const [org] = await db().select().from(organizations).where(eq(organizations.id, f.admin.organizationId));
    expect(org!.emailSenderName).toBeNull();
    const [report] = await db().select().from(scheduledReports).where(eq(scheduledReports.id, f.reportId));
    expect(report!.name).toBe(f.reportName);
  });

  it("are stripped of control characters again where the Subject and From are built, for a value stored some other way", async () => {
    const to = email();
    const f = await deliveryFixture({
      recipients: [
        { type: "email", value: to },
        { type: "email", value: email() },
      ],
      reportName: injected,
    });
    await db().update(organizations).set({ emailSenderName: "Acme\r\nBcc: victim@example.net" }).where(eq(organizations.id, f.admin.organizationId));
    await consumeDeliveries([f.job(f.deliveryIds[0]!)]);
    const [req] = await fake.requests(to);
    const body = JSON.parse(req!.body);
    expect(body.subject).toBe("Scheduled Report: Invoice Bcc: victim@example.net");
    expect(body.from).toBe('"Acme Bcc: victim@example.net" <reports@example.com>');
    // The other providers get the same message: the outbox keeps what a provider would have been given.
    await consumeDeliveries([f.job(f.deliveryIds[1]!)], { env: { EMAIL_PROVIDER: "outbox" } });
    const [kept] = await db().select().from(outboxMessages).where(eq(outboxMessages.idempotencyKey, f.deliveryIds[1]!));
    expect({ subject: kept!.subject, from: kept!.fromAddress }).toEqual({
      subject: "Scheduled Report: Invoice Bcc: victim@example.net",
      from: '"Acme Bcc: victim@example.net" <reports@example.com>',
    });
  });
});
