import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { notices } from "../src/db/schema";
import { applyRetention } from "../src/jobs/retention/apply-retention";
import { api, type TestUser, unique } from "./support/api";
import { consumeDeliveries, db, deliveryFixture, deliveryRow, fake } from "./support/delivery-factories";
import { createReport } from "./support/factories";
import { setQuotas } from "./support/operator";
import { consume, executionById, generationJob, insertExecution, reportWithData } from "./support/pipeline";
import { recordingQueues } from "./support/queues";

const DAY = 86_400_000;
const scheduledFor = new Date("2026-11-23T08:00:00Z");

const usage = async (user: TestUser) => (await api("/api/settings/quotas", { token: user.token })).body.usage;
/** What the counter must equal: the bytes of the organization's live files, by a scan. */
const liveBytes = async (user: TestUser) =>
  (await env.DB.prepare(
    "select coalesce(sum(file_size), 0) as n from report_executions where organization_id = ? and file_key is not null and file_expired_at is null",
  )
    .bind(user.organizationId)
    .first<{ n: number }>())!.n;

describe("the storage counter and quota", () => {
  it("counts kept files as runs record them and retention removes them, and fails runs while the quota is used up", async () => {
    const { admin, report } = await reportWithData(
      { reportType: "order_details", format: "csv", parameters: { dateRange: "last_30_days" }, recipients: [] },
      scheduledFor,
    );
    const queue = recordingQueues();
    const generate = (e: Parameters<typeof generationJob>[0]) =>
      consume("report-generation", [generationJob(e)], { env: { DELIVERY_QUEUE: queue.env.DELIVERY_QUEUE } });
    const run = async (reportId: string, at: Date) => {
      const e = await insertExecution(admin, reportId, { scheduledFor: at });
      await generate(e);
      return executionById(e.id);
    };
    expect((await usage(admin)).storageBytes).toBe(0);

    const first = await run(report.id, scheduledFor);
    expect(first).toMatchObject({ status: "completed" });
    expect(first.fileSize).toBeGreaterThan(100);
    expect((await usage(admin)).storageBytes).toBe(first.fileSize);
    // A redelivered message adds nothing.
    await generate(first);
    expect((await usage(admin)).storageBytes).toBe(first.fileSize);
    const second = await run(report.id, new Date(scheduledFor.getTime() + DAY));
    expect((await usage(admin)).storageBytes).toBe(first.fileSize! + second.fileSize!);

    // A run whose delivery condition holds it back, of a report that does not keep such files: nothing kept, nothing counted.
    const quiet = await createReport(admin, {
      reportType: "sales_summary",
      format: "csv",
      parameters: { dateRange: "last_7_days" },
      recipients: [],
      deliverWhen: { mode: "ifResults", keepFile: false },
    });
    const empty = await run(quiet.id, new Date("2001-01-01T08:00:00Z"));
    expect(empty).toMatchObject({ status: "completed", rowCount: 0, deliverySkipped: "no_results" });
    expect(empty.fileExpiredAt).not.toBeNull();
    expect((await usage(admin)).storageBytes).toBe(first.fileSize! + second.fileSize!);
    expect((await usage(admin)).storageBytes).toBe(await liveBytes(admin));

    // Used up: the next run fails for good as quota_exceeded, before producing anything; kept files stay.
    await setQuotas(admin.organizationId, { storageBytes: first.fileSize! + second.fileSize! });
    const refused = await run(report.id, new Date(scheduledFor.getTime() + 2 * DAY));
    expect(refused).toMatchObject({ status: "failed", errorClass: "quota_exceeded", fileKey: null });
    expect(refused.errorMessage).toContain("storage quota is used up");
    for (const kept of [first, second]) expect(await env.REPORTS.head(kept.fileKey!)).not.toBeNull();
    // The creator's failure notice and the admins' alert are queued; the refusal is audited.
    expect(queue.sent).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "notify_execution_failed", executionId: refused.id }),
        expect.objectContaining({ kind: "notify_alert", organizationId: admin.organizationId }),
      ]),
    );
    const alerts = (await api("/api/alerts", { token: admin.token })).body.items.filter((a: any) => a.scope === "organization");
    expect(alerts.map((a: any) => [a.rule, a.severity, a.threshold])).toEqual([["storage_quota_exceeded", "critical", first.fileSize! + second.fileSize!]]);
    const audit = (await api("/api/audit-events?type=quota.exceeded", { token: admin.token })).body.items;
    expect(audit.map((e: any) => [e.targetId, e.data.limit])).toEqual([["storageBytes", first.fileSize! + second.fileSize!]]);

    // Retention frees the files (and their bytes); runs go again.
    expect((await api("/api/settings", { method: "PATCH", token: admin.token, body: { retentionDays: 1 } })).status).toBe(200);
    await applyRetention(env, new Date(Date.now() + 2 * DAY));
    expect((await usage(admin)).storageBytes).toBe(0);
    expect(await liveBytes(admin)).toBe(0);
    const again = await run(report.id, new Date(scheduledFor.getTime() + 3 * DAY));
    expect(again.status).toBe("completed");
    expect((await usage(admin)).storageBytes).toBe(again.fileSize);
  });

  it("starts an organization's counter from its files when it is first read, then keeps it", async () => {
    const fixture = await deliveryFixture({ recipients: [] });
    // The fixture wrote a file row without the counter (as code from before it did).
    expect((await usage(fixture.admin)).storageBytes).toBe(fixture.file.byteLength);
    await applyRetention(env, new Date(Date.now() + 401 * DAY));
    expect((await usage(fixture.admin)).storageBytes).toBe(0);
  });

  it("never lets retention keep a file longer than the retention quota", async () => {
    const fixture = await deliveryFixture({ recipients: [] });
    await setQuotas(fixture.admin.organizationId, { retentionDays: 10 });
    // The organization's own setting (90 days) is longer than its quota now allows.
    await applyRetention(env, new Date(Date.now() + 11 * DAY));
    expect(await env.REPORTS.head(fixture.fileKey)).toBeNull();
    expect((await executionById(fixture.executionId)).fileExpiredAt).not.toBeNull();
  });
});

describe("the emails-a-day quota", () => {
  it("fails report emails over the day's quota with the reason, sends nothing, and alerts the admins instead of the creator", async () => {
    const [a, b] = [`${unique("quota-a")}@example.com`, `${unique("quota-b")}@example.com`];
    const fx = await deliveryFixture({
      recipients: [
        { type: "email", value: a },
        { type: "email", value: b },
      ],
    });
    await setQuotas(fx.admin.organizationId, { emailsPerDay: 1 });
    const queue = recordingQueues();
    const deliver = (id: string) => consumeDeliveries([fx.job(id)], { env: { DELIVERY_QUEUE: queue.env.DELIVERY_QUEUE } });
    await deliver(fx.deliveryIds[0]!);
    await deliver(fx.deliveryIds[1]!);

    expect((await deliveryRow(fx.deliveryIds[0]!)).status).toBe("sent");
    const refused = await deliveryRow(fx.deliveryIds[1]!);
    expect(refused).toMatchObject({ status: "failed", failureClass: "quota_exceeded", attempts: 1 });
    expect(refused.lastError).toContain("used up (1 a day)");
    expect(await fake.requests(`"to":["${a}"]`)).toHaveLength(1);
    expect(await fake.requests(b)).toEqual([]);
    expect(await db().select().from(notices).where(eq(notices.deliveryId, refused.id))).toEqual([]);
    expect(queue.sent).toEqual([expect.objectContaining({ kind: "notify_alert", organizationId: fx.admin.organizationId })]);
    const alerts = (await api("/api/alerts", { token: fx.admin.token })).body.items.filter((x: any) => x.scope === "organization");
    expect(alerts.map((x: any) => [x.rule, x.threshold])).toEqual([["email_quota_exceeded", 1]]);
    expect((await usage(fx.admin)).emailsToday).toBe(1);
    // A redelivered message sends nothing and counts nothing.
    await deliver(fx.deliveryIds[1]!);
    expect(await fake.requests(b)).toEqual([]);
    expect((await usage(fx.admin)).emailsToday).toBe(1);
  });

  it("counts only emails that went: a failed send gives its place back", async () => {
    const [c, d] = [`${unique("quota-c")}@example.com`, `${unique("quota-d")}@example.com`];
    const fx = await deliveryFixture({
      recipients: [
        { type: "email", value: c },
        { type: "email", value: d },
      ],
    });
    await setQuotas(fx.admin.organizationId, { emailsPerDay: 1 });
    await fake.script(c, [{ status: 500, body: '{"message":"try later"}' }]);
    const first = await consumeDeliveries([fx.job(fx.deliveryIds[0]!)]);
    expect(first.retried).toBe(1);
    expect((await usage(fx.admin)).emailsToday).toBe(0);
    await consumeDeliveries([fx.job(fx.deliveryIds[1]!)]);
    expect((await deliveryRow(fx.deliveryIds[1]!)).status).toBe("sent");
    expect((await usage(fx.admin)).emailsToday).toBe(1);
  });
});
