import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it, vi } from "vitest";
import { emailSuppressions, notices } from "../src/db/schema";
import { unique } from "./support/api";
import { callRoutes, consumeDeliveries, db, deliveryFixture, deliveryRow, fake } from "./support/delivery-factories";

const RESEND_SECRET = (env as unknown as { RESEND_WEBHOOK_SECRET: string }).RESEND_WEBHOOK_SECRET;
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

function resendRequest(event: unknown, secret = RESEND_SECRET) {
  const body = JSON.stringify(event);
  const id = `msg_${crypto.randomUUID()}`;
  const at = new Date();
  const signature = new Webhook(secret).sign(id, at, body);
  return { body, headers: { "svix-id": id, "svix-timestamp": String(Math.floor(at.getTime() / 1000)), "svix-signature": signature } };
}

/** SendGrid's Signed Event Webhook: ECDSA P-256 over timestamp + body, DER-encoded, base64. */
async function sendgridRequest(events: unknown[]) {
  const body = JSON.stringify(events);
  const timestamp = String(Math.floor(Date.now() / 1000));
  const pkcs8 = Uint8Array.from(atob(inject("fakeServices").sendgridPrivateKey), (c) => c.charCodeAt(0));
  const key = await crypto.subtle.importKey("pkcs8", pkcs8, { name: "ECDSA", namedCurve: "P-256" }, false, ["sign"]);
  const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, key, new TextEncoder().encode(timestamp + body)));
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    const v = b.subarray(i);
    return v[0]! & 0x80 ? Uint8Array.of(0x02, v.length + 1, 0, ...v) : Uint8Array.of(0x02, v.length, ...v);
  };
  const r = int(raw.subarray(0, 32));
  const s = int(raw.subarray(32));
  const der = Uint8Array.of(0x30, r.length + s.length, ...r, ...s);
  return { body, headers: { "x-twilio-email-event-webhook-signature": b64(der), "x-twilio-email-event-webhook-timestamp": timestamp } };
}

const suppressionOf = async (organizationId: string, email: string) =>
  (
    await db()
      .select()
      .from(emailSuppressions)
      .where(and(eq(emailSuppressions.organizationId, organizationId), eq(emailSuppressions.email, email)))
  )[0];

describe("bounces reported later by the provider", () => {
  it("Resend: a signed email.bounced event marks the delivery bounced, suppresses the address and tells the creator", async () => {
    const to = `${unique("bouncy")}@example.com`;
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)]);
    const sent = await deliveryRow(id);
    expect(sent.status).toBe("sent");

    const event = {
      type: "email.bounced",
      created_at: new Date().toISOString(),
      data: { email_id: sent.providerMessageId, to: [to], bounce: { type: "Permanent", subType: "General", message: "550 5.1.1 mailbox does not exist" } },
    };
    const res = await callRoutes("/api/email/bounces/resend", { method: "POST", ...resendRequest(event) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: 1, applied: 1, ignored: 0 });
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "bounced", failureClass: "bounced" });
    expect(row.lastError).toContain("mailbox does not exist");
    expect(await suppressionOf(f.admin.organizationId, to)).toMatchObject({ source: "bounce", provider: "resend", deliveryId: id });
    // The creator's notice goes through the real local queue and consumer.
    await vi.waitFor(async () => expect(await fake.requests(f.admin.email)).toHaveLength(1), { timeout: 10_000, interval: 200 });
    expect(JSON.parse((await fake.requests(f.admin.email))[0]!.body).subject).toBe(`Scheduled Report not delivered: ${f.reportName}`);

    // The next run's delivery to the address is not attempted.
    const next = await deliveryFixture({ recipients: [{ type: "email", value: to }], admin: f.admin });
    await consumeDeliveries([next.job(next.deliveryIds[0]!)]);
    expect(await deliveryRow(next.deliveryIds[0]!)).toMatchObject({ status: "bounced", failureClass: "suppressed" });
    expect(await fake.requests(`"to":["${to}"]`)).toHaveLength(1);
    // Suppression is per organization.
    const other = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    await consumeDeliveries([other.job(other.deliveryIds[0]!)]);
    expect(await deliveryRow(other.deliveryIds[0]!)).toMatchObject({ status: "sent" });
  });

  it("Resend: refuses a missing or wrong signature and ignores soft bounces and unknown messages", async () => {
    const to = `${unique("bouncy")}@example.com`;
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)]);
    const { providerMessageId } = await deliveryRow(id);
    const event = { type: "email.bounced", data: { email_id: providerMessageId, to: [to], bounce: { type: "Permanent" } } };

    const forged = resendRequest(event, `whsec_${btoa("another secret, not ours!")}`);
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", ...forged })).status).toBe(401);
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", body: JSON.stringify(event) })).status).toBe(401);
    const replayed = resendRequest(event);
    replayed.headers["svix-timestamp"] = String(Math.floor(Date.now() / 1000) - 3600);
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", ...replayed })).status).toBe(401);
    const soft = { type: "email.bounced", data: { email_id: providerMessageId, to: [to], bounce: { type: "Transient" } } };
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", ...resendRequest(soft) })).body).toEqual({ received: 0, applied: 0, ignored: 0 });
    const unknown = { type: "email.bounced", data: { email_id: "re_unknown", to: [to] } };
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", ...resendRequest(unknown) })).body).toEqual({
      received: 1,
      applied: 0,
      ignored: 1,
    });
    // An event naming our message but another address changes nothing.
    const mismatched = { type: "email.bounced", data: { email_id: providerMessageId, to: ["someone-else@example.com"] } };
    expect((await callRoutes("/api/email/bounces/resend", { method: "POST", ...resendRequest(mismatched) })).body).toMatchObject({ applied: 0 });
    expect((await callRoutes("/api/email/bounces/postmark", { method: "POST", ...resendRequest(event) })).status).toBe(400);

    expect(await deliveryRow(id)).toMatchObject({ status: "sent" });
    expect(await suppressionOf(f.admin.organizationId, to)).toBeUndefined();
  });

  it("SendGrid: a signed bounce event (found by its custom args) bounces the delivery; a forged one does not", async () => {
    const to = `${unique("bouncy")}@example.com`;
    const f = await deliveryFixture({ recipients: [{ type: "email", value: to }] });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)], { env: { EMAIL_PROVIDER: "sendgrid" } });
    const { providerMessageId } = await deliveryRow(id);
    const events = [
      { email: to, event: "delivered", sg_message_id: `${providerMessageId}.filter0001`, delivery_id: id, organization_id: f.admin.organizationId },
      {
        email: to,
        event: "bounce",
        type: "bounce",
        reason: "550 No such user",
        sg_message_id: `${providerMessageId}.filter0001`,
        delivery_id: id,
        organization_id: f.admin.organizationId,
      },
    ];
    const signed = await sendgridRequest(events);
    const forged = { ...signed, body: signed.body.replace("No such user", "Forged") };
    expect((await callRoutes("/api/email/bounces/sendgrid", { method: "POST", ...forged })).status).toBe(401);
    expect(await deliveryRow(id)).toMatchObject({ status: "sent" });

    const res = await callRoutes("/api/email/bounces/sendgrid", { method: "POST", ...signed });
    expect(res.body).toEqual({ received: 1, applied: 1, ignored: 0 });
    expect(await deliveryRow(id)).toMatchObject({ status: "bounced", lastError: "Bounced: 550 No such user" });
    expect(await suppressionOf(f.admin.organizationId, to)).toMatchObject({ provider: "sendgrid", source: "bounce" });
    // Delivered twice by SendGrid: nothing changes the second time.
    expect((await callRoutes("/api/email/bounces/sendgrid", { method: "POST", ...(await sendgridRequest(events)) })).body).toMatchObject({ applied: 1 });
    await vi.waitFor(
      async () => {
        const rows = await db().select().from(notices).where(eq(notices.deliveryId, id));
        expect(rows).toMatchObject([{ status: "sent" }]);
      },
      { timeout: 10_000, interval: 200 },
    );
  });
});
