import { SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { disabledWebhookEndpoints, webhookSecrets } from "../src/db/schema";
import { sealWebhookSecret } from "../src/domain/webhook-secrets";
import { newMember, unique } from "./support/api";
import { callRoutes, consumeDeliveries, db, deliveryFixture, deliveryRow, fake, fakeUrl, hookUrl, makeDue } from "./support/delivery-factories";

const secretOf = async (token: string) =>
  (await callRoutes("/api/settings/webhook-secret", { token })).body as { secret: string; previousSecret: string | null };

describe("webhook deliveries", () => {
  it("POSTs the report.generated payload signed per Standard Webhooks, verifiable with the standardwebhooks library", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    const before = Math.floor(Date.now() / 1000);
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ acked: 1, retried: 0 });

    const [req, ...more] = await fake.requests(new URL(url).pathname);
    expect(more).toHaveLength(0);
    expect(req!.method).toBe("POST");
    expect(req!.headers["content-type"]).toBe("application/json");
    expect(req!.headers["webhook-id"]).toBe(id);
    expect(Number(req!.headers["webhook-timestamp"])).toBeGreaterThanOrEqual(before);
    expect(Number(req!.headers["webhook-timestamp"])).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(req!.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);

    const { secret, previousSecret } = await secretOf(f.admin.token);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(previousSecret).toBeNull();
    const payload = new Webhook(secret).verify(req!.body, req!.headers) as Record<string, unknown>;
    expect(payload).toEqual({
      event: "report.generated",
      report_id: f.reportId,
      report_name: f.reportName,
      execution_id: f.executionId,
      file_url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/api\/files\/.+/),
      format: "csv",
      generated_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      file_size: f.file.byteLength,
      row_count: 1,
      scheduled_for: "2026-11-23T09:00:00.000Z",
      parameters: {},
    });
    const file = await SELF.fetch(payload.file_url as string);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(f.file);
    // A tampered body does not verify.
    expect(() => new Webhook(secret).verify(req!.body.replace("csv", "pdf"), req!.headers)).toThrow();
    expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("keeps webhook-id and the payload across retries, with a fresh timestamp per attempt", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    await fake.script(new URL(url).pathname, [{ status: 502 }]);
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ retried: 1, delays: [60] });
    await makeDue(id);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await consumeDeliveries([f.job(id)], { attempts: 2 })).toMatchObject({ acked: 1 });
    const [first, second] = await fake.requests(new URL(url).pathname);
    expect(first!.headers["webhook-id"]).toBe(id);
    expect(second!.headers["webhook-id"]).toBe(id);
    expect(second!.body).toBe(first!.body);
    expect(Number(second!.headers["webhook-timestamp"])).toBeGreaterThan(Number(first!.headers["webhook-timestamp"]));
    const { secret } = await secretOf(f.admin.token);
    expect(new Webhook(secret).verify(second!.body, second!.headers)).toBeTruthy();
    expect(await deliveryRow(id)).toMatchObject({ status: "sent", attempts: 2 });
  });

  it("signs with the new and the old secret during a rotation's grace period, then with the new one only", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({
      recipients: [
        { type: "webhook", value: url },
        { type: "webhook", value: `${url}/later` },
      ],
    });
    const [a, b] = f.deliveryIds as [string, string];
    const old = await secretOf(f.admin.token);
    const rotated = await callRoutes("/api/settings/webhook-secret/rotate", { method: "POST", token: f.admin.token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(old.secret);
    expect(rotated.body.previousSecret).toBe(old.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * 3600_000);
    expect(await secretOf(f.admin.token)).toMatchObject({ secret: rotated.body.secret, previousSecret: old.secret });

    await consumeDeliveries([f.job(a)]);
    const [during] = await fake.requests(`"webhook-id":"${a}"`);
    expect(during!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(new Webhook(rotated.body.secret).verify(during!.body, during!.headers)).toBeTruthy();
    expect(new Webhook(old.secret).verify(during!.body, during!.headers)).toBeTruthy();

    await db()
      .update(webhookSecrets)
      .set({ previousExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    expect((await secretOf(f.admin.token)).previousSecret).toBeNull();
    await consumeDeliveries([f.job(b)]);
    const [after] = await fake.requests(`"webhook-id":"${b}"`);
    expect(after!.headers["webhook-signature"]!.split(" ")).toHaveLength(1);
    expect(new Webhook(rotated.body.secret).verify(after!.body, after!.headers)).toBeTruthy();
    expect(() => new Webhook(old.secret).verify(after!.body, after!.headers)).toThrow();
  });

  it("stores signing secrets sealed, reads rows written before sealing, and recovers from a replaced root secret by rotating", async () => {
    const f = await deliveryFixture({ recipients: [] });
    const shown = await secretOf(f.admin.token);
    const [row] = await db().select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    expect(row!.secret).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(row!.secret).not.toContain(shown.secret.slice(6));
    // A row from before sealing still signs, and is sealed the first time it is read.
    await db()
      .update(webhookSecrets)
      .set({ secret: "whsec_bGVnYWN5LXNlY3JldC1vZi0zMi1ieXRlcy0wMTIzNDU=" })
      .where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    expect((await secretOf(f.admin.token)).secret).toBe("whsec_bGVnYWN5LXNlY3JldC1vZi0zMi1ieXRlcy0wMTIzNDU=");
    const [resealed] = await db().select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    expect(resealed!.secret).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect((await secretOf(f.admin.token)).secret).toBe("whsec_bGVnYWN5LXNlY3JldC1vZi0zMi1ieXRlcy0wMTIzNDU=");
    const rotated = await callRoutes("/api/settings/webhook-secret/rotate", { method: "POST", token: f.admin.token });
    expect(rotated.body.previousSecret).toBe("whsec_bGVnYWN5LXNlY3JldC1vZi0zMi1ieXRlcy0wMTIzNDU=");
    const [after] = await db().select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    expect([after!.secret, after!.previousSecret].every((v) => v!.startsWith("v2."))).toBe(true);
    // Sealed under another root secret (JWT_SECRET replaced): recognised by its key id, refused
    // with a message that says so, and a rotation replaces it.
    const elsewhere = await sealWebhookSecret("a-previous-root-secret-that-is-long-enough-0123", f.admin.organizationId, "whsec_b2xk");
    await db().update(webhookSecrets).set({ secret: elsewhere }).where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    const refused = await callRoutes("/api/settings/webhook-secret", { token: f.admin.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/sealed under another root secret \(key id [0-9a-f]{8}; the current key id is [0-9a-f]{8}\).*Rotate it/);
    const rotatedAway = await callRoutes("/api/settings/webhook-secret/rotate", { method: "POST", token: f.admin.token });
    expect(rotatedAway.body).toMatchObject({ secret: expect.stringMatching(/^whsec_/), previousSecret: null });
    // A v1 value (before key ids) that does not open is refused too, and replaced by rotating.
    await db()
      .update(webhookSecrets)
      .set({ secret: "v1.AAAAAAAAAAAAAAAA.AAAAAAAAAAAAAAAAAAAAAAAA" })
      .where(eq(webhookSecrets.organizationId, f.admin.organizationId));
    const fresh = await callRoutes("/api/settings/webhook-secret/rotate", { method: "POST", token: f.admin.token });
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ secret: expect.stringMatching(/^whsec_/), previousSecret: null });
  });

  it("fails a delivery for good, as configuration, when the signing secret was sealed under a replaced root secret", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    const now = new Date();
    const elsewhere = await sealWebhookSecret("a-previous-root-secret-that-is-long-enough-0123", f.admin.organizationId, "whsec_b2xk");
    await db()
      .insert(webhookSecrets)
      .values({ organizationId: f.admin.organizationId, secret: elsewhere, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: webhookSecrets.organizationId, set: { secret: elsewhere } });
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ acked: 1, retried: 0 });
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "failed", failureClass: "configuration" });
    expect(row.lastError).toContain("sealed under another root secret");
    expect(await fake.requestsTo(new URL(url).pathname)).toHaveLength(0);
  });

  it("shows and rotates the secret for admins only, per organization", async () => {
    const f = await deliveryFixture({ recipients: [] });
    const editor = await newMember(f.admin, "editor");
    const viewer = await newMember(f.admin, "viewer");
    for (const user of [editor, viewer]) {
      expect((await callRoutes("/api/settings/webhook-secret", { token: user.token })).status).toBe(403);
      expect((await callRoutes("/api/settings/webhook-secret/rotate", { method: "POST", token: user.token })).status).toBe(403);
    }
    expect((await callRoutes("/api/settings/webhook-secret")).status).toBe(401);
    const other = await deliveryFixture({ recipients: [] });
    expect((await secretOf(f.admin.token)).secret).not.toBe((await secretOf(other.admin.token)).secret);
  });

  it("does not follow a redirect: a 3xx fails for good and its target is never called", async () => {
    const url = hookUrl();
    const target = `${fakeUrl()}/hooks/${unique("redirect-target")}`;
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    await fake.script(new URL(url).pathname, [{ status: 307, headers: { location: target } }]);
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requestsTo(new URL(target).pathname)).toHaveLength(0);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "failed", failureClass: "redirect" });
    expect(row.lastError).toContain("redirects are not followed");
  });

  it("stops deliveries to a URL that answered 410 Gone, for that organization only", async () => {
    const url = hookUrl();
    const path = new URL(url).pathname;
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    await fake.script(path, [{ status: 410, body: "gone" }]);
    expect(await consumeDeliveries([f.job(f.deliveryIds[0]!)])).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "gone" });
    const disabled = await db().select().from(disabledWebhookEndpoints).where(eq(disabledWebhookEndpoints.organizationId, f.admin.organizationId));
    expect(disabled).toMatchObject([{ url, deliveryId: f.deliveryIds[0] }]);

    // The next run's delivery to the same URL is not attempted.
    const next = await deliveryFixture({ recipients: [{ type: "webhook", value: url }], admin: f.admin });
    await consumeDeliveries([next.job(next.deliveryIds[0]!)]);
    expect(await deliveryRow(next.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "endpoint_disabled", attempts: 1 });
    expect(await fake.requests(`"webhook-id":"${next.deliveryIds[0]}"`)).toHaveLength(0);
    // Another organization's delivery to it still goes.
    const other = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    await consumeDeliveries([other.job(other.deliveryIds[0]!)]);
    expect(await deliveryRow(other.deliveryIds[0]!)).toMatchObject({ status: "sent" });
  });
});

describe("Slack deliveries", () => {
  it("posts the report name, file link, format, generation time and human-readable size", async () => {
    const url = hookUrl("slack");
    const f = await deliveryFixture({
      recipients: [{ type: "slack", value: url }],
      file: new Uint8Array(1536).fill(66),
      reportName: unique("Sales <EU> & more"),
    });
    const [id] = f.deliveryIds as [string];
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ acked: 1 });
    const [req] = await fake.requests(new URL(url).pathname);
    expect(req!.headers["content-type"]).toBe("application/json");
    const body = JSON.parse(req!.body);
    const escaped = f.reportName.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    expect(body.text).toBe(`Your scheduled report "${escaped}" is ready`);
    expect(body.attachments[0]).toMatchObject({
      title: escaped,
      title_link: expect.stringMatching(/^http:\/\/127\.0\.0\.1:8787\/api\/files\//),
      fields: [
        { title: "Format", value: "CSV", short: true },
        { title: "Generated At", value: expect.stringMatching(/Z$/), short: true },
        { title: "File Size", value: "1.5 KB", short: true },
      ],
    });
    const file = await SELF.fetch(body.attachments[0].title_link);
    expect(file.status).toBe(200);
    expect(await deliveryRow(id)).toMatchObject({ status: "sent" });
  });

  it("waits as long as Slack's Retry-After asks on a 429", async () => {
    const url = hookUrl("slack");
    const f = await deliveryFixture({ recipients: [{ type: "slack", value: url }] });
    const [id] = f.deliveryIds as [string];
    await fake.script(new URL(url).pathname, [{ status: 429, headers: { "retry-after": "900" }, body: "rate_limited" }]);
    expect(await consumeDeliveries([f.job(id)])).toMatchObject({ retried: 1, delays: [900] });
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "pending", failureClass: "rate_limited", attempts: 1 });
    expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(890_000);
  });
});

describe("outbound URLs are checked again when sending", () => {
  const cases: [string, string, Partial<Env>?][] = [
    ["cloud metadata", "https://169.254.169.254/latest/meta-data"],
    ["a private IPv4 address", "https://10.0.0.7/hook"],
    ["CGNAT", "https://100.64.12.1/hook"],
    ["an IPv4-mapped IPv6 private address", "https://[::ffff:192.168.1.1]/hook"],
    ["IPv6 link-local", "https://[fe80::1]/hook"],
    ["a decimal-encoded loopback host in production", "https://2130706433/hook", { LOCAL_DEV: "false", APP_URL: "https://reports.example.com" }],
    ["a hex-encoded loopback host in production", "https://0x7f.1/hook", { LOCAL_DEV: "false", APP_URL: "https://reports.example.com" }],
    ["loopback in production", "http://127.0.0.1:9/hook", { LOCAL_DEV: "false", APP_URL: "https://reports.example.com" }],
    ["plain http to a public host", "http://example.com/hook"],
    ["a metadata host name", "https://metadata.google.internal/computeMetadata"],
  ];

  describe.each(["webhook", "slack"] as const)("%s", (type) => {
    it.each(cases)("refuses %s without sending", async (_label, url, overrides) => {
      const f = await deliveryFixture({ recipients: [{ type, value: url }] });
      const [id] = f.deliveryIds as [string];
      expect(await consumeDeliveries([f.job(id)], { env: overrides })).toMatchObject({ acked: 1, retried: 0 });
      const row = await deliveryRow(id);
      expect(row).toMatchObject({ status: "failed", failureClass: "unsafe_url" });
      expect(row.lastError).toContain("nothing was sent");
    });
  });

  it("refuses a public name that resolves to a private address", async () => {
    const host = `${unique("rebound")}.example.net`;
    await fake.dns(host, ["10.1.2.3"]);
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: `https://${host}/hook` }] });
    const [id] = f.deliveryIds as [string];
    await consumeDeliveries([f.job(id)]);
    const row = await deliveryRow(id);
    expect(row).toMatchObject({ status: "failed", failureClass: "unsafe_url" });
    expect(row.lastError).toContain("10.1.2.3");
    const v6 = `${unique("rebound6")}.example.net`;
    await fake.dns(v6, ["93.184.215.14", "::1"]);
    const g = await deliveryFixture({ recipients: [{ type: "slack", value: `https://${v6}/services/x` }] });
    await consumeDeliveries([g.job(g.deliveryIds[0]!)]);
    expect(await deliveryRow(g.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "unsafe_url" });
  });
});
