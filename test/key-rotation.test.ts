/*
 * Replacing JWT_SECRET with JWT_SECRET_PREVIOUS set to the replaced value: what was sealed under it
 * still opens and moves to the current key when read; download links signed under it open until
 * they expire. Without JWT_SECRET_PREVIOUS the same values are another key's (tested in
 * webhook-delivery, channels-slack-app and sealed).
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret } from "../src/channels/webhook-signature";
import { alertRoutes, slackConnections, webhookSecrets } from "../src/db/schema";
import { alertTargetsOf, sealAlertSlackUrl } from "../src/domain/alert-routes";
import { sealSlackToken, slackAppOf } from "../src/domain/slack-connection";
import { sealWebhookSecret } from "../src/domain/webhook-secrets";
import { sealingKeyId } from "../src/lib/sealed";
import { openFileLink } from "../src/services/executions/download";
import { issueFileLink, signFileLink } from "../src/storage/links";
import { api, newOrganization, unique } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake, hookUrl } from "./support/delivery-factories";
import { createReport } from "./support/factories";
import { insertExecution } from "./support/pipeline";

/** The JWT_SECRET before the tests' one. */
const PREVIOUS = "the-root-secret-before-the-last-replacement-0123";
const rotated = { JWT_SECRET_PREVIOUS: PREVIOUS } as Partial<Env>;
const currentOnly = () => ({ current: env.JWT_SECRET, previous: null });
const keyIdNow = (label: string) => sealingKeyId(env.JWT_SECRET, label);

describe("values sealed under the previous root secret (JWT_SECRET_PREVIOUS)", () => {
  it("sign webhook deliveries, and the secrets are sealed again under the current key", async () => {
    const url = hookUrl();
    const f = await deliveryFixture({ recipients: [{ type: "webhook", value: url }] });
    const [id] = f.deliveryIds as [string];
    const org = f.admin.organizationId;
    const [secret, older] = [newWebhookSecret(), newWebhookSecret()];
    const now = new Date();
    await db()
      .insert(webhookSecrets)
      .values({
        organizationId: org,
        secret: await sealWebhookSecret(PREVIOUS, org, secret),
        previousSecret: await sealWebhookSecret(PREVIOUS, org, older),
        previousExpiresAt: new Date(now.getTime() + 3600_000),
        createdAt: now,
        updatedAt: now,
      });
    expect(await consumeDeliveries([f.job(id)], { env: rotated })).toMatchObject({ acked: 1, retried: 0 });
    expect(await deliveryRow(id)).toMatchObject({ status: "sent" });
    const [sent] = await fake.requestsTo(new URL(url).pathname);
    expect(new Webhook(secret).verify(sent!.body, sent!.headers)).toBeTruthy();
    expect(new Webhook(older).verify(sent!.body, sent!.headers)).toBeTruthy();

    const kid = await keyIdNow("scheduled-reports/webhook-secrets/v1");
    const [row] = await db().select().from(webhookSecrets).where(eq(webhookSecrets.organizationId, org));
    expect(row!.secret.startsWith(`v2.${kid}.`)).toBe(true);
    expect(row!.previousSecret!.startsWith(`v2.${kid}.`)).toBe(true);
    // Written back: without JWT_SECRET_PREVIOUS they open now, the same secrets.
    const shown = await api("/api/settings/webhook-secret", { token: f.admin.token });
    expect(shown.body).toMatchObject({ secret, previousSecret: older });
  });

  it("open the organization's Slack token for a delivery, and it is sealed again under the current key", async () => {
    const admin = await newOrganization();
    const token = `xoxb-${unique("t").replace(/[^A-Za-z0-9-]/g, "")}`;
    expect((await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: token } })).status).toBe(200);
    const channel = `C${crypto.randomUUID().replace(/-/g, "").slice(0, 10).toUpperCase()}`;
    await fake.slackChannels(token, [{ id: channel, name: "reports", is_member: true }]);
    const old = await sealSlackToken(PREVIOUS, admin.organizationId, token);
    await db().update(slackConnections).set({ sealedToken: old }).where(eq(slackConnections.organizationId, admin.organizationId));
    // Without the previous secret it is another key's.
    await expect(slackAppOf(db(), currentOnly(), admin.organizationId)).rejects.toThrow(/sealed under another root secret/);

    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: channel }] });
    await consumeDeliveries([f.job(f.deliveryIds[0]!)], { env: rotated });
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "sent" });
    const [row] = await db().select().from(slackConnections).where(eq(slackConnections.organizationId, admin.organizationId));
    expect(row!.sealedToken.startsWith(`v2.${await keyIdNow("scheduled-reports/slack-bot-tokens/v1")}.`)).toBe(true);
    expect(await slackAppOf(db(), currentOnly(), admin.organizationId)).toMatchObject({ token });
  });

  it("open an alert route's Slack URL, which is sealed again under the current key", async () => {
    const admin = await newOrganization();
    const slackUrl = `${hookUrl("slack")}/T000/B000/secret-part`;
    expect((await api("/api/settings/alert-routes", { method: "PATCH", token: admin.token, body: { slackUrl } })).status).toBe(200);
    const old = await sealAlertSlackUrl(PREVIOUS, admin.organizationId, slackUrl);
    await db().update(alertRoutes).set({ slackUrlSealed: old }).where(eq(alertRoutes.organizationId, admin.organizationId));
    expect((await alertTargetsOf(db(), currentOnly(), admin.organizationId)).slackUnreadable).toBe(true);

    const targets = await alertTargetsOf(db(), { current: env.JWT_SECRET, previous: PREVIOUS }, admin.organizationId);
    expect(targets).toMatchObject({ slackUrl, slackUnreadable: false });
    const [row] = await db().select().from(alertRoutes).where(eq(alertRoutes.organizationId, admin.organizationId));
    expect(row!.slackUrlSealed!.startsWith(`v2.${await keyIdNow("scheduled-reports/alert-slack-urls/v1")}.`)).toBe(true);
    expect(await alertTargetsOf(db(), currentOnly(), admin.organizationId)).toMatchObject({ slackUrl, slackUnreadable: false });
  });
});

describe("download links signed under the previous root secret", () => {
  it("open until they expire with JWT_SECRET_PREVIOUS set, and name nothing without it or under FILE_LINK_SECRET", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const key = `${admin.organizationId}/${report.id}/x/file.csv`;
    await env.REPORTS.put(key, "a\r\n");
    const run = await insertExecution(admin, report.id, { status: "completed", fileKey: key, fileName: "file.csv", fileSize: 3 });
    const link = { executionId: run.id, organizationId: admin.organizationId, issuedTo: `user:${admin.userId}` };
    const now = new Date();
    const seconds = Math.floor(now.getTime() / 1000);
    const withPrevious = { ...env, ...rotated } as Env;

    const token = await signFileLink(PREVIOUS, { ...link, expiresAt: seconds + 600 });
    expect((await openFileLink(withPrevious, token, now)).fileName).toBe("file.csv");
    await expect(openFileLink(env, token, now)).rejects.toMatchObject({ code: "not_found" });
    const expired = await signFileLink(PREVIOUS, { ...link, expiresAt: seconds - 60 });
    await expect(openFileLink(withPrevious, expired, now)).rejects.toMatchObject({ code: "link_expired" });
    // FILE_LINK_SECRET keys links on its own: the previous JWT_SECRET opens none of them.
    const ownKey = { ...withPrevious, FILE_LINK_SECRET: "a-separate-link-secret-of-at-least-32-chars" } as Env;
    await expect(openFileLink(ownKey, token, now)).rejects.toMatchObject({ code: "not_found" });
    // New links are signed under the current secret only.
    const fresh = (await issueFileLink(withPrevious, link, now)).url.split("/api/files/")[1]!;
    expect((await openFileLink(env, fresh, now)).fileName).toBe("file.csv");
  });
});
