import { createScheduledController, env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { config } from "../src/config";
import type { SchedulerHeartbeat } from "../src/durable-objects/scheduler-heartbeat";
import { runSchedulerTick } from "../src/jobs/schedule/tick";
import { api, expectError, newMember, newOrganization, type TestUser } from "./support/api";
import { consumeDeliveries, fake, hookUrl } from "./support/delivery-factories";
import { createReport } from "./support/factories";
import { insertExecution, insertPendingRuns } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

const HOUR = 3_600_000;
const OPERATOR = "test-operator-token-that-is-long-enough-0123456789";
const OPERATOR_SECRET = "whsec_b3BlcmF0b3Itd2ViaG9vay1zZWNyZXQtMDEyMzQ1Njc4OQ==";
/** A time in an hour of its own (hours ahead), so that one test's alert windows are not another's. */
let hoursAhead = 100;
const ownHour = () => Math.floor(Date.now() / HOUR) * HOUR + hoursAhead++ * HOUR + 30 * 60_000;

const routesOf = (user: TestUser) => api("/api/settings/alert-routes", { token: user.token });
const setRoutes = (user: TestUser, body: unknown) => api("/api/settings/alert-routes", { method: "PATCH", token: user.token, body });

type Message = { kind: string; alertId?: string; organizationId: string; event?: string };
/** Runs one full scheduler tick (scheduler, watchdog, alert rules) and returns the alert messages it sent for `organizationId`. */
async function tickAt(at: number, organizationId: string) {
  const { sent, env: tickEnv } = recordingQueues();
  await runSchedulerTick(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), tickEnv);
  return (sent as Message[]).filter((m) => m.kind === "notify_alert" && m.organizationId === organizationId);
}

const verified = (secret: string, req: { headers: Record<string, string>; body: string }) =>
  new Webhook(secret).verify(req.body, {
    "webhook-id": req.headers["webhook-id"]!,
    "webhook-timestamp": req.headers["webhook-timestamp"]!,
    "webhook-signature": req.headers["webhook-signature"]!,
  }) as Record<string, unknown>;

describe("alert routes in settings", () => {
  it("keep a Slack URL sealed and masked, show a webhook URL to admins only, and let only admins change them", async () => {
    const admin = await newOrganization();
    const viewer = await newMember(admin, "viewer");
    const editor = await newMember(admin, "editor");
    expect((await routesOf(admin)).body).toEqual({ emailAdmins: true, slackUrl: null, webhookUrl: null });

    const slackUrl = `${hookUrl("slack")}/T000/B000/secret-part`;
    const webhookUrl = hookUrl();
    const saved = await setRoutes(admin, { slackUrl, webhookUrl, emailAdmins: false });
    expect(saved.status).toBe(200);
    expect(saved.body.slackUrl).not.toContain("secret-part");
    expect(saved.body).toMatchObject({ emailAdmins: false, webhookUrl });
    const stored = await env.DB.prepare("select slack_url_sealed as s from alert_routes where organization_id = ?")
      .bind(admin.organizationId)
      .first<{ s: string }>();
    expect(stored!.s).toMatch(/^v2\./);
    expect(stored!.s).not.toContain("secret-part");

    const seen = (await routesOf(viewer)).body;
    expect(seen.slackUrl).not.toContain("secret-part");
    expect(seen.webhookUrl).not.toBe(webhookUrl);
    expect(seen.webhookUrl).toContain("••••");

    expectError(await setRoutes(editor, { slackUrl: null }), 403);
    // Omitted fields keep their value; null removes one.
    expect((await setRoutes(admin, { slackUrl: null })).body).toMatchObject({ emailAdmins: false, slackUrl: null, webhookUrl });

    const audit = await api("/api/audit-events?type=alert_routes.updated&limit=10", { token: admin.token });
    const changes = audit.body.items.map((e: { data: { changed: Record<string, unknown> } }) => e.data.changed);
    expect(JSON.stringify(changes)).not.toContain("secret-part");
    expect(changes).toContainEqual({ slackUrl: { from: expect.stringContaining("••••"), to: null } });
    expect(changes).toContainEqual(expect.objectContaining({ emailAdmins: { from: true, to: false }, webhookUrl: { from: null, to: webhookUrl } }));
  });

  it("refuses an unsafe or malformed URL and changes nothing", async () => {
    const admin = await newOrganization();
    expectError(await setRoutes(admin, { webhookUrl: "https://10.0.0.7/hook" }), 400, "validation_failed");
    expectError(await setRoutes(admin, { slackUrl: "not a url" }), 400, "validation_failed");
    expectError(await setRoutes(admin, { emailAdmins: "yes" }), 400, "validation_failed");
    expectError(await setRoutes(admin, { pager: "x" }), 400, "validation_failed");
    expect((await routesOf(admin)).body).toEqual({ emailAdmins: true, slackUrl: null, webhookUrl: null });
    const rows = await env.DB.prepare("select count(*) as n from alert_routes where organization_id = ?").bind(admin.organizationId).first<{ n: number }>();
    expect(rows!.n).toBe(0);
  });
});

describe("alerts on every route, fired and resolved, in the full tick", () => {
  it("announces a backlog on the admins' email, Slack and a signed webhook, then a resolved notice once it clears, each once", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const slackUrl = hookUrl("slack");
    const webhookUrl = hookUrl();
    expect((await setRoutes(admin, { slackUrl, webhookUrl })).status).toBe(200);
    const { secret } = (await api("/api/settings/webhook-secret", { token: admin.token })).body;

    const at = ownHour();
    await insertPendingRuns(admin, report.id, 501, at - 20 * 60_000);
    const fired = await tickAt(at, admin.organizationId);
    expect(fired).toEqual([expect.objectContaining({ event: "fired" })]);
    // The next minute, same window: nothing new.
    expect(await tickAt(at + 60_000, admin.organizationId)).toEqual([]);
    // Delivered twice (at least once): each route hears it once.
    await consumeDeliveries(fired);
    await consumeDeliveries(fired);

    const [email, ...moreEmail] = await fake.requests(admin.email);
    expect(moreEmail).toHaveLength(0);
    expect(email!.body).toMatch(/queue backlog/i);
    const [slack, ...moreSlack] = await fake.requestsTo(new URL(slackUrl).pathname);
    expect(moreSlack).toHaveLength(0);
    expect(JSON.parse(slack!.body).text).toMatch(
      /queue backlog: 501 report runs have been waiting in the report-generation queue for more than 5 minutes \(the oldest for 20 min\)/,
    );
    const [hook, ...moreHooks] = await fake.requestsTo(new URL(webhookUrl).pathname);
    expect(moreHooks).toHaveLength(0);
    expect(verified(secret, hook!)).toMatchObject({
      event: "alert.fired",
      organization_id: admin.organizationId,
      scope: "organization",
      rule: "queue_backlog",
      value: 501,
      threshold: 500,
      resolved_at: null,
    });

    // The backlog drains: the next tick resolves the alert and announces it, once.
    await env.DB.prepare("update report_executions set status = 'completed' where organization_id = ?").bind(admin.organizationId).run();
    const resolved = await tickAt(at + 2 * 60_000, admin.organizationId);
    expect(resolved).toEqual([expect.objectContaining({ alertId: fired[0]!.alertId, event: "resolved" })]);
    expect(await tickAt(at + 3 * 60_000, admin.organizationId)).toEqual([]);
    await consumeDeliveries(resolved);
    await consumeDeliveries(resolved);

    expect((await fake.requests(admin.email)).map((r) => /Resolved: queue backlog/.test(r.body))).toEqual([false, true]);
    const slacks = await fake.requestsTo(new URL(slackUrl).pathname);
    expect(slacks).toHaveLength(2);
    expect(JSON.parse(slacks[1]!.body).text).toMatch(/^:white_check_mark: Resolved: queue backlog/);
    const hooks = await fake.requestsTo(new URL(webhookUrl).pathname);
    expect(hooks).toHaveLength(2);
    expect(hooks[1]!.headers["webhook-id"]).not.toBe(hooks[0]!.headers["webhook-id"]);
    expect(verified(secret, hooks[1]!)).toMatchObject({
      event: "alert.resolved",
      alert_id: fired[0]!.alertId,
      resolved_at: new Date(at + 2 * 60_000).toISOString(),
    });

    const listed = (await api("/api/alerts?limit=100", { token: admin.token })).body.items.filter((a: { scope: string }) => a.scope === "organization");
    expect(listed).toEqual([expect.objectContaining({ rule: "queue_backlog", resolvedAt: new Date(at + 2 * 60_000).toISOString() })]);
  });

  it("stays quiet on email when the organization turned it off, and says nothing to nobody", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    expect((await setRoutes(admin, { emailAdmins: false })).status).toBe(200);
    const at = ownHour();
    await insertPendingRuns(admin, report.id, 501, at - 20 * 60_000);
    const fired = await tickAt(at, admin.organizationId);
    expect(fired).toHaveLength(1);
    expect(await consumeDeliveries(fired)).toMatchObject({ acked: 1, retried: 0 });
    expect(await fake.requests(admin.email)).toHaveLength(0);
  });

  it("raises the system-wide failure rate for the operator only, on the operator's Slack and signed webhook", async () => {
    const admin = await newOrganization();
    const report = await createReport(admin);
    const at = ownHour();
    // Enough failures in one organization to lift the whole system over 10% in this window.
    for (let i = 0; i < 60; i++) await insertExecution(admin, report.id, { status: "failed", completedAt: new Date(at - 5 * 60_000) });
    const { sent, env: tickEnv } = recordingQueues();
    await runSchedulerTick(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), tickEnv);
    const system = (sent as Message[]).filter((m) => m.kind === "notify_alert" && m.organizationId === "*");
    const rows = await env.DB.prepare("select id, rule, message from alerts where organization_id = '*' and window_start = ?")
      .bind(Math.floor(at / HOUR) * HOUR)
      .all<{ id: string; rule: string; message: string }>();
    const failureRate = rows.results.find((r) => r.rule === "failure_rate");
    expect(failureRate?.message).toMatch(/of report runs across all organizations failed in the last 15 minutes/);
    expect(system.map((m) => m.alertId)).toContain(failureRate!.id);

    // The organization's own list does not carry the operator's figures; the operator's does.
    const own = (await api("/api/alerts?limit=100", { token: admin.token })).body.items;
    expect(own.filter((a: { scope: string; rule: string }) => a.scope === "system" && a.rule === "failure_rate")).toEqual([]);
    const all = await api("/api/operator/alerts?limit=100", { token: OPERATOR });
    expect(all.status).toBe(200);
    expect(all.body.items).toContainEqual(expect.objectContaining({ id: failureRate!.id, scope: "system", organizationId: null }));
    expect(all.body.items).toContainEqual(expect.objectContaining({ rule: "failure_rate", organizationId: admin.organizationId }));
    expectError(await api("/api/operator/alerts", { token: admin.token }), 401);

    const slackUrl = hookUrl("slack");
    const webhookUrl = hookUrl();
    const operatorEnv = {
      OPERATOR_ALERT_SLACK_URL: slackUrl,
      OPERATOR_ALERT_WEBHOOK_URL: webhookUrl,
      OPERATOR_ALERT_WEBHOOK_SECRET: OPERATOR_SECRET,
    } as Partial<Env>;
    const message = { kind: "notify_alert", alertId: failureRate!.id, organizationId: "*", event: "fired" };
    expect(await consumeDeliveries([message], { env: operatorEnv })).toMatchObject({ acked: 1, retried: 0 });
    expect(JSON.parse((await fake.requestsTo(new URL(slackUrl).pathname))[0]!.body).text).toMatch(/failure rate/);
    const [hook] = await fake.requestsTo(new URL(webhookUrl).pathname);
    expect(verified(OPERATOR_SECRET, hook!)).toMatchObject({ event: "alert.fired", scope: "system", organization_id: null, rule: "failure_rate" });
  });

  it("refuses an operator webhook without its signing secret, naming the variable", () => {
    expect(() => config({ ...env, OPERATOR_ALERT_WEBHOOK_URL: hookUrl() } as Env)).toThrow(/OPERATOR_ALERT_WEBHOOK_SECRET must be set/);
    expect(() => config({ ...env, OPERATOR_ALERT_WEBHOOK_URL: hookUrl(), OPERATOR_ALERT_WEBHOOK_SECRET: "hunter2" } as Env)).toThrow(
      /OPERATOR_ALERT_WEBHOOK_SECRET must be a Standard Webhooks secret/,
    );
  });
});

describe("the scheduler heartbeat alert", () => {
  it("is resolved by the first tick that arrives after the silence", async () => {
    const stub = env.HEARTBEAT.get(env.HEARTBEAT.idFromName(`test-${crypto.randomUUID()}`));
    await stub.beat();
    await runInDurableObject(stub, async (_: SchedulerHeartbeat, state) => {
      await state.storage.put("lastTick", Date.now() - 4 * 60_000);
      // Far ahead, so that it never fires by itself: runDurableObjectAlarm runs it now.
      await state.storage.setAlarm(Date.now() + HOUR);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const open = () => env.DB.prepare("select count(*) as n from alerts where rule = 'scheduler_heartbeat' and resolved_at is null").first<{ n: number }>();
    expect((await open())!.n).toBe(1);
    await stub.beat();
    expect((await open())!.n).toBe(0);
  });
});
