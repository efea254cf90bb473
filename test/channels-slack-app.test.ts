import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditEvents, slackConnections } from "../src/db/schema";
import { sealSlackToken } from "../src/domain/slack-connection";
import { unseal } from "../src/lib/sealed";
import { api, expectError, newMember, newOrganization, type TestUser, unique } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake, fakeUrl } from "./support/delivery-factories";
import { reportBody } from "./support/factories";

/** A bot token unique to the test: the fake Slack keeps channels and uploads per token. */
const botToken = () => `xoxb-${unique("t").replace(/[^A-Za-z0-9-]/g, "")}`;
const channelId = () =>
  `C${unique("")
    .replace(/[^A-Za-z0-9]/g, "")
    .toUpperCase()
    .slice(0, 12)}`;

async function connect(admin: TestUser, token = botToken()) {
  const res = await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: token } });
  expect(res.status).toBe(200);
  return token;
}

const form = (body: string) => Object.fromEntries(new URLSearchParams(body));

describe("connecting a Slack app (settings)", () => {
  it("checks the bot token with auth.test, stores it sealed, and shows only the workspace", async () => {
    const admin = await newOrganization();
    expect((await api("/api/settings/slack", { token: admin.token })).body).toEqual({ connected: false, team: null, connectedAt: null });
    const token = botToken();
    const res = await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: token } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ connected: true, team: "Fake Workspace", connectedAt: expect.any(String) });
    const [check] = await fake.requests(token);
    expect(check).toMatchObject({ method: "POST", path: "/slack-api/auth.test" });
    expect(check!.headers.authorization).toBe(`Bearer ${token}`);

    const viewer = await newMember(admin, "viewer");
    const seen = await api("/api/settings/slack", { token: viewer.token });
    expect(seen.body).toMatchObject({ connected: true, team: "Fake Workspace" });
    expect(JSON.stringify(seen.body)).not.toContain(token);

    const [row] = await db().select().from(slackConnections).where(eq(slackConnections.organizationId, admin.organizationId));
    expect(row).toMatchObject({ teamId: "T0FAKE01", teamName: "Fake Workspace", botUser: "reports-bot", connectedBy: admin.userId });
    expect(row!.sealedToken).toMatch(/^v2\.[0-9a-f]{8}\./);
    expect(row!.sealedToken).not.toContain(token.slice(5));
    // Sealed under its own HKDF label and bound to the organization.
    expect(await unseal(env.JWT_SECRET, "scheduled-reports/slack-bot-tokens/v1", row!.sealedToken, admin.organizationId)).toBe(token);
    expect(await unseal(env.JWT_SECRET, "scheduled-reports/slack-bot-tokens/v1", row!.sealedToken, "another-org")).toBeNull();
    expect(await unseal(env.JWT_SECRET, "scheduled-reports/file-links/v1", row!.sealedToken, admin.organizationId)).toBeNull();

    const audit = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, admin.organizationId), eq(auditEvents.type, "slack.connected")));
    expect(audit).toMatchObject([{ actorId: admin.userId, data: { team: "Fake Workspace", teamId: "T0FAKE01" } }]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("refuses a token Slack refuses, or one that is not a bot token, and changes nothing", async () => {
    const admin = await newOrganization();
    const refused = await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: `xoxb-revoked-${Date.now()}` } });
    expectError(refused, 400, "validation_failed");
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "botToken", message: expect.stringContaining("invalid_auth") })]);
    const userToken = await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: "xoxp-123-456" } });
    expectError(userToken, 400, "validation_failed");
    expect(userToken.body.error.details[0].path).toBe("botToken");
    expectError(await api("/api/settings/slack", { method: "PUT", token: admin.token, body: { botToken: botToken(), extra: 1 } }), 400);
    expect(await db().select().from(slackConnections).where(eq(slackConnections.organizationId, admin.organizationId))).toEqual([]);
  });

  it("disconnects (audited); only admins connect or disconnect; another organization never sees it", async () => {
    const admin = await newOrganization();
    await connect(admin);
    const editor = await newMember(admin, "editor");
    expectError(await api("/api/settings/slack", { method: "PUT", token: editor.token, body: { botToken: botToken() } }), 403, "forbidden");
    expectError(await api("/api/settings/slack", { method: "DELETE", token: editor.token }), 403, "forbidden");
    expectError(await api("/api/settings/slack"), 401);
    const other = await newOrganization();
    expect((await api("/api/settings/slack", { token: other.token })).body.connected).toBe(false);
    expect((await api("/api/settings/slack", { method: "DELETE", token: other.token })).status).toBe(204);
    expect((await api("/api/settings/slack", { token: admin.token })).body.connected).toBe(true);

    expect((await api("/api/settings/slack", { method: "DELETE", token: admin.token })).status).toBe(204);
    expect((await api("/api/settings/slack", { token: admin.token })).body).toEqual({ connected: false, team: null, connectedAt: null });
    const audit = await db()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.organizationId, admin.organizationId), eq(auditEvents.type, "slack.disconnected")));
    expect(audit).toHaveLength(1);
  });
});

describe("Slack channel recipients", () => {
  it("are refused, naming the field, until a Slack app is connected; webhook URLs need none", async () => {
    const admin = await newOrganization();
    const refused = await api("/api/scheduled-reports", { token: admin.token, body: reportBody({ recipients: [{ type: "slack", value: "#reports" }] }) });
    expectError(refused, 400, "validation_failed");
    expect(refused.body.error.details).toEqual([expect.objectContaining({ path: "recipients.0.value", message: expect.stringContaining("Slack app") })]);
    const nonsense = await api("/api/scheduled-reports", {
      token: admin.token,
      body: reportBody({ recipients: [{ type: "slack", value: "reports channel" }] }),
    });
    expectError(nonsense, 400, "validation_failed");
    expect(nonsense.body.error.details[0].path).toBe("recipients.0.value");
    const hook = await api("/api/scheduled-reports", {
      token: admin.token,
      body: reportBody({ recipients: [{ type: "slack", value: "https://hooks.slack.com/services/T000/B000/XXXX" }] }),
    });
    expect(hook.status).toBe(201);

    await connect(admin);
    const created = await api("/api/scheduled-reports", {
      token: admin.token,
      body: reportBody({
        recipients: [
          { type: "slack", value: "#reports" },
          { type: "slack", value: "C0123ABCD" },
        ],
      }),
    });
    expect(created.status).toBe(201);
    expect(created.body.recipients).toEqual([
      { type: "slack", value: "#reports" },
      { type: "slack", value: "C0123ABCD" },
    ]);
  });

  it("upload the report file into the channel: upload URL, the bytes, then complete with the message", async () => {
    const admin = await newOrganization();
    const token = await connect(admin);
    const name = unique("reports").toLowerCase();
    const id = channelId();
    await fake.slackChannels(token, [
      { id: channelId(), name: "general", is_member: true },
      { id, name, is_member: true },
    ]);
    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: `#${name}` }] });
    const [deliveryId] = f.deliveryIds as [string];
    expect(await consumeDeliveries([f.job(deliveryId)])).toMatchObject({ acked: 1, retried: 0 });

    const calls = await fake.requests(token);
    expect(calls.map((c) => c.path)).toEqual([
      "/slack-api/auth.test",
      "/slack-api/conversations.list",
      "/slack-api/files.getUploadURLExternal",
      "/slack-api/files.completeUploadExternal",
    ]);
    expect(form(calls[2]!.body)).toEqual({ filename: f.fileName, length: String(f.file.byteLength) });
    const complete = form(calls[3]!.body);
    expect(complete.channel_id).toBe(id);
    const [file] = JSON.parse(complete.files!);
    expect(file).toEqual({ id: expect.stringMatching(/^F/), title: f.reportName });
    expect(complete.initial_comment).toContain(`*${f.reportName}* is ready: CSV, generated `);
    expect(complete.initial_comment).toContain(`${f.file.byteLength} B`);

    const [upload, ...again] = await fake.requestsTo(`/slack-upload/${file.id}`);
    expect(again).toHaveLength(0);
    expect(upload!.body).toBe(new TextDecoder().decode(f.file));
    expect(await deliveryRow(deliveryId)).toMatchObject({ status: "sent", providerMessageId: file.id, attempts: 1 });

    // The same message delivered again uploads nothing more.
    expect(await consumeDeliveries([f.job(deliveryId)], { attempts: 2 })).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requests(token)).toHaveLength(4);
  });

  it("wait as long as Slack's Retry-After when it answers ratelimited", async () => {
    const admin = await newOrganization();
    const token = await connect(admin);
    const id = channelId();
    await fake.slackChannels(token, [{ id, name: "reports", is_member: true }]);
    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: id }] });
    const [deliveryId] = f.deliveryIds as [string];
    await fake.script(`Bearer ${token}`, [
      { status: 429, headers: { "retry-after": "120", "content-type": "application/json" }, body: '{"ok":false,"error":"ratelimited"}' },
    ]);
    expect(await consumeDeliveries([f.job(deliveryId)])).toMatchObject({ retried: 1, delays: [120] });
    const row = await deliveryRow(deliveryId);
    expect(row).toMatchObject({ status: "pending", failureClass: "rate_limited", attempts: 1 });
    expect(row.nextAttemptAt!.getTime() - Date.now()).toBeGreaterThan(100_000);
  });

  it("fail for good, saying to invite the bot, when the app is not in the channel", async () => {
    const admin = await newOrganization();
    const token = await connect(admin);
    const id = channelId();
    await fake.slackChannels(token, [{ id, name: "private-board", is_member: false }]);
    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: "#private-board" }] });
    const [deliveryId] = f.deliveryIds as [string];
    expect(await consumeDeliveries([f.job(deliveryId)])).toMatchObject({ acked: 1, retried: 0 });
    const row = await deliveryRow(deliveryId);
    expect(row).toMatchObject({ status: "failed", failureClass: "rejected" });
    expect(row.lastError).toContain("not in #private-board");
    expect(row.lastError).toContain("/invite @reports-bot");
  });

  it("fail as a configuration problem once the app is disconnected", async () => {
    const admin = await newOrganization();
    await connect(admin);
    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: "#reports" }] });
    await api("/api/settings/slack", { method: "DELETE", token: admin.token });
    await consumeDeliveries([f.job(f.deliveryIds[0]!)]);
    expect(await deliveryRow(f.deliveryIds[0]!)).toMatchObject({ status: "failed", failureClass: "configuration" });
  });

  it("fail as a configuration problem, saying why, when the token was sealed under a replaced root secret", async () => {
    const admin = await newOrganization();
    const token = await connect(admin);
    const f = await deliveryFixture({ admin, recipients: [{ type: "slack", value: "#reports" }] });
    const elsewhere = await sealSlackToken("a-previous-root-secret-that-is-long-enough-0123", admin.organizationId, token);
    await db().update(slackConnections).set({ sealedToken: elsewhere }).where(eq(slackConnections.organizationId, admin.organizationId));
    await consumeDeliveries([f.job(f.deliveryIds[0]!)]);
    const row = await deliveryRow(f.deliveryIds[0]!);
    expect(row).toMatchObject({ status: "failed", failureClass: "configuration" });
    expect(row.lastError).toMatch(/sealed under another root secret \(key id [0-9a-f]{8}; the current key id is [0-9a-f]{8}\).*Connect the Slack app again/);
  });

  it("can be sent a test message", async () => {
    const admin = await newOrganization();
    const token = await connect(admin);
    const id = channelId();
    await fake.slackChannels(token, [{ id, name: "reports", is_member: true }]);
    const res = await api("/api/recipients/test", { token: admin.token, body: { type: "slack", value: id } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ sent: true, providerMessageId: expect.stringMatching(/^F/) });
    const refused = await api("/api/recipients/test", { token: (await newOrganization()).token, body: { type: "slack", value: "#reports" } });
    expectError(refused, 400, "validation_failed");
    expect(refused.body.error.details[0].path).toBe("value");
  });
});

describe("the fake Slack Web API", () => {
  const slack = async (method: string, params: Record<string, string>, token?: string) =>
    (
      await fetch(`${fakeUrl()}/slack-api/${method}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: new URLSearchParams(params).toString(),
      })
    ).json() as Promise<{ ok: boolean; error?: string; upload_url?: string; file_id?: string }>;

  it("enforces what Slack does: a bot token, the parameters, the upload before completing it, a channel the bot is in", async () => {
    const token = botToken();
    expect(await slack("auth.test", {})).toEqual({ ok: false, error: "not_authed" });
    expect(await slack("auth.test", {}, "xoxp-user-token")).toEqual({ ok: false, error: "invalid_auth" });
    expect(await slack("files.getUploadURLExternal", { filename: "a.csv" }, token)).toEqual({ ok: false, error: "invalid_arguments" });
    const ticket = await slack("files.getUploadURLExternal", { filename: "a.csv", length: "3" }, token);
    expect(ticket).toMatchObject({ ok: true, file_id: expect.stringMatching(/^F/) });
    const files = JSON.stringify([{ id: ticket.file_id }]);
    expect(await slack("files.completeUploadExternal", { files }, token)).toEqual({ ok: false, error: "file_upload_size_mismatch" });
    expect(await slack("files.completeUploadExternal", { files }, botToken())).toEqual({ ok: false, error: "file_not_found" });
    await fetch(ticket.upload_url!, { method: "POST", body: "a,b" });
    const id = channelId();
    expect(await slack("files.completeUploadExternal", { files, channel_id: id }, token)).toEqual({ ok: false, error: "channel_not_found" });
    await fake.slackChannels(token, [{ id, name: "reports", is_member: true }]);
    expect(await slack("files.completeUploadExternal", { files, channel_id: id }, token)).toMatchObject({ ok: true });
  });
});
