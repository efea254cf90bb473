import { env, SELF } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { applyRetention } from "../src/jobs/retention/apply-retention";
import { testFileKey } from "../src/storage/keys";
import { api, emailsTo, expectError, newMember, newOrganization, type TestUser, unique } from "./support/api";
import { fake, hookUrl } from "./support/delivery-factories";

const HOUR = 3_600_000;
const testSend = (user: TestUser, type: string, value: string) => api("/api/recipients/test", { token: user.token, body: { type, value } });
const setEmailsPerDay = (user: TestUser, limit: number) =>
  env.DB.prepare("insert into organization_quotas (organization_id, emails_per_day, updated_at) values (?1, ?2, ?3)")
    .bind(user.organizationId, limit, Date.now())
    .run();
const unverify = (userId: string) => env.DB.prepare("update users set email_verified_at = null where id = ?1").bind(userId).run();

describe("test sends are limited (#23 item 2)", () => {
  it("count against the organization's report emails a day: over the quota, 422 quota_exceeded and nothing sent", async () => {
    const admin = await newOrganization();
    await setEmailsPerDay(admin, 1);
    const first = `${unique("quota")}@example.com`;
    expect((await testSend(admin, "email", first)).status).toBe(200);
    const second = `${unique("quota")}@example.com`;
    const refused = await testSend(admin, "email", second);
    expectError(refused, 422, "quota_exceeded");
    expect(refused.body.error.details[0]).toMatchObject({ path: "value", code: "emailsPerDay" });
    expect(await emailsTo(second)).toHaveLength(0);
    const { body } = await api("/api/settings/quotas", { token: admin.token });
    expect(body.usage.emailsToday).toBe(1);
  });

  it("allows three an hour to one address, from any organization, then 429 rate_limited with Retry-After", async () => {
    const [a, b] = [await newOrganization(), await newOrganization()];
    const target = `${unique("target")}@example.com`;
    for (let i = 0; i < 3; i++) expect((await testSend(i === 1 ? b : a, "email", target)).status).toBe(200);
    const limited = await testSend(b, "email", target);
    expectError(limited, 429, "rate_limited");
    const retryAfter = Number(limited.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3500);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // Case does not make it another address; another address is not limited.
    expectError(await testSend(a, "email", target.toUpperCase()), 429, "rate_limited");
    expect((await testSend(a, "email", `${unique("other")}@example.com`)).status).toBe(200);
    expect(await emailsTo(target)).toHaveLength(3);
    // An hour later the address may be tested again.
    await env.DB.prepare("update test_sends set sent_at = sent_at - ?1").bind(HOUR).run();
    expect((await testSend(a, "email", target)).status).toBe(200);
  });

  it("limits webhook test sends per URL too", async () => {
    const admin = await newOrganization();
    const url = hookUrl();
    for (let i = 0; i < 3; i++) expect((await testSend(admin, "webhook", url)).status).toBe(200);
    expectError(await testSend(admin, "webhook", url), 429, "rate_limited");
    expect(await fake.requestsTo(new URL(url).pathname)).toHaveLength(3);
  });

  it("on open sign-up, lets an organization whose signer is unconfirmed test only its confirmed members' addresses", async () => {
    const admin = await newOrganization();
    const confirmedMember = await newMember(admin, "editor");
    const unconfirmedMember = await newMember(admin, "viewer");
    await unverify(admin.userId);
    await unverify(unconfirmedMember.userId);
    const outsider = `${unique("outsider")}@example.com`;
    const refused = await testSend(admin, "email", outsider);
    expectError(refused, 403, "forbidden");
    expect(refused.body.error.message).toMatch(/confirmed/);
    expect(await emailsTo(outsider)).toHaveLength(0);
    expectError(await testSend(admin, "email", unconfirmedMember.email), 403, "forbidden");
    expectError(await testSend(admin, "email", admin.email), 403, "forbidden");
    expect((await testSend(admin, "email", confirmedMember.email.toUpperCase())).status).toBe(200);
    // Once the signer's address is confirmed (here: a used password-reset link), any address.
    await env.DB.prepare("update users set email_verified_at = ?2 where id = ?1").bind(admin.userId, Date.now()).run();
    expect((await testSend(admin, "email", outsider)).status).toBe(200);
  });

  it("a signer confirms their address by signing up: a new organization may test any address", async () => {
    const admin = await newOrganization();
    const row = await env.DB.prepare("select email_verified_at as at from users where id = ?1").bind(admin.userId).first<{ at: number | null }>();
    expect(row?.at).toEqual(expect.any(Number));
    expect((await testSend(admin, "email", `${unique("anyone")}@example.com`)).status).toBe(200);
  });

  it("refuses sender display names with @, a URL or control characters, naming the field", async () => {
    const admin = await newOrganization();
    for (const name of [
      "IT Helpdesk support@evil.example",
      "Call https://evil.example now",
      "Visit www.evil.example",
      "mail.evil.example",
      "Acme\r\nBcc: x",
      "Acme\u202eReports",
    ]) {
      const res = await api("/api/settings", { method: "PATCH", token: admin.token, body: { emailSenderName: name } });
      expectError(res, 400, "validation_failed");
      expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain("emailSenderName");
    }
    expect((await api("/api/settings", { token: admin.token })).body.emailSenderName).toBeNull();
    const ok = await api("/api/settings", { method: "PATCH", token: admin.token, body: { emailSenderName: "Acme Reports (Finance, Inc.)" } });
    expect(ok.status).toBe(200);
  });
});

describe("webhook 'Send a test' delivers a real file (#31 item 8)", () => {
  it("sends a payload whose file_url downloads the sample for 24 hours, with row_count, scheduled_for and parameters", async () => {
    const admin = await newOrganization();
    const url = hookUrl();
    expect((await testSend(admin, "webhook", url)).status).toBe(200);
    const [received] = await fake.requestsTo(new URL(url).pathname);
    const { secret } = (await api("/api/settings/webhook-secret", { token: admin.token })).body;
    const payload = new Webhook(secret).verify(received!.body, received!.headers as Record<string, string>) as Record<string, unknown>;
    expect(payload).toEqual({
      event: "report.generated",
      report_id: expect.stringMatching(/^test-/),
      report_name: "Test message",
      execution_id: payload.report_id,
      file_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/api\/files\/.+/),
      format: "csv",
      generated_at: expect.any(String),
      file_size: 75,
      row_count: 1,
      scheduled_for: payload.generated_at,
      parameters: { sample: true },
    });
    const file = await SELF.fetch(payload.file_url as string);
    expect(file.status).toBe(200);
    expect(file.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(file.headers.get("content-disposition")).toContain("test-message.csv");
    const text = await file.text();
    expect(text).toContain("This is a test of your report delivery");
    expect(new TextEncoder().encode(text).byteLength).toBe(75);
    // The link says it works for 24 hours.
    const token = (payload.file_url as string).split("/api/files/")[1]!;
    const [, , , expiresAt] = JSON.parse(atob(token.split(".")[0]!.replace(/-/g, "+").replace(/_/g, "/")));
    expect(expiresAt * 1000 - Date.parse(payload.generated_at as string)).toBeGreaterThan(24 * HOUR - 5000);
    expect(expiresAt * 1000 - Date.parse(payload.generated_at as string)).toBeLessThanOrEqual(24 * HOUR);

    // Retention keeps it within the day and deletes it after.
    const key = testFileKey(admin.organizationId, payload.execution_id as string, "test-message.csv");
    await applyRetention(env, new Date(Date.now() + HOUR));
    expect(await env.REPORTS.head(key)).not.toBeNull();
    await applyRetention(env, new Date(Date.now() + 25 * HOUR));
    expect(await env.REPORTS.head(key)).toBeNull();
    expectError(await api(new URL(payload.file_url as string).pathname), 410, "file_gone");
  });

  it("answers 410 for the sample once the person it was issued to has left", async () => {
    const admin = await newOrganization();
    const editor = await newMember(admin, "editor");
    const url = hookUrl();
    expect((await testSend(editor, "webhook", url)).status).toBe(200);
    const [received] = await fake.requestsTo(new URL(url).pathname);
    const fileUrl = JSON.parse(received!.body).file_url as string;
    expect((await SELF.fetch(fileUrl)).status).toBe(200);
    expect((await api(`/api/users/${editor.userId}`, { method: "DELETE", token: admin.token })).status).toBe(204);
    expectError(await api(new URL(fileUrl).pathname), 410);
  });
});
